import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKey, CreatedApiKey } from '@gatehouse/client';
import { ApiKeyRow } from './ApiKeyRow';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import { ListLoadFailed } from './ListLoadFailed';
import { NewApiKeySecret } from './NewApiKeySecret';
import { useAccountList } from './useAccountList';
import { Sentence } from './Sentence';

interface ApiKeysSectionProps {
  /** Changes when the list must be fetched again (a password change may have revoked every key). */
  version: number;
  onSessionEnded: () => void;
}

/** Keys for scripts and apps: what exists, when each was last used, revoking one, making one. */
export function ApiKeysSection({ version, onSessionEnded }: ApiKeysSectionProps) {
  const { t } = useTranslation();
  const { state, retry, update, failed } = useAccountList(auth.apiKeys, version, onSessionEnded);
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const [announcement, setAnnouncement] = useState('');

  return (
    <section className="account-section" aria-labelledby="api-keys-title">
      <div className="account-section-head">
        <h2 id="api-keys-title" className="account-section-title">
          {t('account:apiKeys.title')}
        </h2>
        <p className="account-section-hint">{t('account:apiKeys.hint')}</p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('account:apiKeys.loading')}
        </p>
      )}
      {state.kind === 'failed' && (
        <ListLoadFailed what={t('account:apiKeys.what')} message={state.message} onRetry={retry} />
      )}
      {state.kind === 'ready' &&
        (state.items.length === 0 ? (
          <p className="api-keys-empty">{t('account:apiKeys.empty')}</p>
        ) : (
          <ul className="session-list api-key-list" aria-label={t('account:apiKeys.title')}>
            {state.items.map((key) => (
              <ApiKeyRow
                key={key.id}
                apiKey={key}
                onRevoke={() => {
                  setRevoking(key);
                }}
              />
            ))}
          </ul>
        ))}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      {created === undefined ? (
        <CreateApiKeyForm
          onCreated={(next) => {
            setCreated(next);
            update((keys) => [next.apiKey, ...keys]);
          }}
          onSessionEnded={onSessionEnded}
        />
      ) : (
        <NewApiKeySecret
          created={created}
          onDone={() => {
            setCreated(undefined);
          }}
        />
      )}

      {revoking !== undefined && (
        <ConfirmDialog
          title={t('account:apiKeys.revokeTitle')}
          confirmLabel={t('account:apiKeys.revokeConfirm')}
          danger
          failed={failed}
          onClose={() => {
            setRevoking(undefined);
          }}
          onConfirm={async () => {
            await auth.revokeApiKey(revoking.id);
            setRevoking(undefined);
            setAnnouncement(t('account:revoked', { name: revoking.name }));
            update((keys) => keys.filter((k) => k.id !== revoking.id));
          }}
        >
          <p>
            <Sentence
              i18nKey="account:apiKeys.revokeText"
              values={{ name: revoking.name, prefix: revoking.prefix }}
              components={{ strong: <strong className="wrap-anywhere" />, code: <code /> }}
            />
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
