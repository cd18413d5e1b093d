import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { fullDateTime } from './format';
import { Icon } from './Icon';
import { selectContents, useCopy } from './useCopy';
import { Sentence } from './Sentence';

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
  const { t } = useTranslation();
  const { copied, copy } = useCopy();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function text(): string {
    return [
      t('account:recovery.fileTitle', { product: t('auth:productName'), email }),
      t('account:recovery.fileMade', { date: fullDateTime(new Date().toISOString()) }),
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
        {t('account:recovery.yours')}
      </h3>
      <p className="api-key-warning">
        <Sentence i18nKey="account:recovery.warning" components={{ strong: <strong /> }} />
      </p>
      <ul
        ref={listRef}
        className="recovery-codes"
        data-testid="recovery-codes"
        aria-label={t('account:recovery.title')}
      >
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="recovery-actions">
        <button type="button" className="button button-secondary button-small" onClick={download}>
          <Icon name="download" />
          {t('account:recovery.download')}
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            void copyCodes();
          }}
        >
          {copied === 'yes' ? t('account:copy.copied') : t('account:copy.copy')}
        </button>
        <p className="field-hint" role="status">
          {copied === 'yes' && t('account:copy.done')}
          {copied === 'failed' && t('account:recovery.copyFailed')}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          {t('account:recovery.saved')}
        </button>
      </div>
    </div>
  );
}
