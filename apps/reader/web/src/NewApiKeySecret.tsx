import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKey } from '@gatehouse/client';
import { useCopy } from './useCopy';
import { Sentence } from './Sentence';

/**
 * The secret of a key just made, in the one answer that carries it: the server keeps only
 * its hash, so this is the only time anyone sees it.
 */
export function NewApiKeySecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { t } = useTranslation();
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
        <Sentence
          i18nKey="account:apiKeys.newTitle"
          values={{ name: created.apiKey.name }}
          components={{ name: <span className="wrap-anywhere" /> }}
        />
      </h3>
      <p className="api-key-warning">
        <Sentence i18nKey="account:apiKeys.newWarning" components={{ strong: <strong /> }} />
      </p>
      <div className="field">
        <label htmlFor="api-key-secret">{t('account:apiKeys.secret')}</label>
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
            {copied === 'yes' ? t('account:copy.copied') : t('account:copy.copy')}
          </button>
        </div>
        <p className="field-hint" role="status">
          {copied === 'yes' && t('account:copy.done')}
          {copied === 'failed' && t('account:apiKeys.copyFailed')}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          {t('account:done')}
        </button>
      </div>
    </div>
  );
}
