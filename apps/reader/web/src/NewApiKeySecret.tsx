import { useEffect, useRef } from 'react';
import type { CreatedApiKey } from '@gatehouse/client';
import { useCopy } from './useCopy';

/**
 * The secret of a key just made, in the one answer that carries it: the server keeps only
 * its hash, so this is the only time anyone sees it.
 */
export function NewApiKeySecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { copied, copy } = useCopy();
  const inputRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function copySecret() {
    // Selected first, whatever the clipboard says: the user sees what was copied.
    inputRef.current?.select();
    return copy(created.secret, () => undefined);
  }

  return (
    <div className="api-key-secret" role="group" aria-labelledby="api-key-secret-title">
      <h3 ref={headingRef} id="api-key-secret-title" className="account-subtitle" tabIndex={-1}>
        Your new key “<span className="wrap-anywhere">{created.apiKey.name}</span>”
      </h3>
      <p className="api-key-warning">
        <strong>Copy it now: it won’t be shown again.</strong> Keep it somewhere safe, like a password manager; anyone
        who has it can use your account as this key allows.
      </p>
      <div className="field">
        <label htmlFor="api-key-secret">Secret</label>
        <div className="copy-row">
          <input
            ref={inputRef}
            id="api-key-secret"
            className="input input-mono"
            type="text"
            readOnly
            spellCheck={false}
            autoComplete="off"
            value={created.secret}
            onFocus={(event) => {
              event.target.select();
            }}
          />
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              void copySecret();
            }}
          >
            {copied === 'yes' ? 'Copied' : 'Copy'}
          </button>
        </div>
        <p className="field-hint" role="status">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'failed' && 'Could not copy: the key is selected, press Ctrl+C (⌘C on a Mac).'}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
