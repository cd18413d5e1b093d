import { useEffect, useRef } from 'react';
import { Icon } from './Icon';
import { selectContents, useCopy } from './useCopy';

interface RecoveryCodesProps {
  codes: readonly string[];
  /** Whose codes, for the downloaded file. */
  email: string;
  /** The user says they saved them: the codes leave the page. */
  onDone: () => void;
}

const FILE_NAME = 'gatehouse-reader-recovery-codes.txt';

/**
 * New recovery codes, in the one answer that carries them: the server keeps only their
 * hashes. Each signs in once in place of a second factor, for the day the phone is lost.
 */
export function RecoveryCodes({ codes, email, onDone }: RecoveryCodesProps) {
  const { copied, copy } = useCopy();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function text(): string {
    return [
      `Gatehouse Reader recovery codes for ${email}`,
      `Made ${new Date().toLocaleString()}. Each code works once; making new ones voids these.`,
      '',
      ...codes,
      '',
    ].join('\n');
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text()], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = FILE_NAME;
    link.click();
    // The click has started the download; the URL is not needed after this task.
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 0);
  }

  function copyCodes() {
    return copy(codes.join('\n'), () => {
      selectContents(listRef.current);
    });
  }

  return (
    <div className="recovery" role="group" aria-labelledby="recovery-title">
      <h3 ref={headingRef} id="recovery-title" className="account-subtitle" tabIndex={-1}>
        Your recovery codes
      </h3>
      <p className="api-key-warning">
        <strong>Save them now: they won’t be shown again.</strong> If you lose your phone or passkey, each code lets you
        sign in once. Keep them somewhere safe, like a password manager.
      </p>
      <ul ref={listRef} className="recovery-codes" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="recovery-actions">
        <button type="button" className="button button-secondary button-small" onClick={download}>
          <Icon name="download" />
          Download
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            void copyCodes();
          }}
        >
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <p className="field-hint" role="status">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'failed' && 'Could not copy: the codes are selected, press Ctrl+C (⌘C on a Mac).'}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          I saved them
        </button>
      </div>
    </div>
  );
}
