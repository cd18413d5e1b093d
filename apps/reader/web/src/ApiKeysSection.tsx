import { useState } from 'react';
import type { ApiKey, CreatedApiKey } from '@gatehouse/client';
import { ApiKeyRow } from './ApiKeyRow';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import { ListLoadFailed } from './ListLoadFailed';
import { NewApiKeySecret } from './NewApiKeySecret';
import { useAccountList } from './useAccountList';

interface ApiKeysSectionProps {
  /** Changes when the list must be fetched again (a password change may have revoked every key). */
  version: number;
  onSessionEnded: () => void;
}

/** Keys for scripts and apps: what exists, when each was last used, revoking one, making one. */
export function ApiKeysSection({ version, onSessionEnded }: ApiKeysSectionProps) {
  const { state, retry, update, failed } = useAccountList(auth.apiKeys, version, onSessionEnded);
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const [announcement, setAnnouncement] = useState('');

  return (
    <section className="account-section" aria-labelledby="api-keys-title">
      <div className="account-section-head">
        <h2 id="api-keys-title" className="account-section-title">
          API keys
        </h2>
        <p className="account-section-hint">
          For scripts and apps that read or change your feeds. A key works until it expires or you revoke it.
        </p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your API keys…
        </p>
      )}
      {state.kind === 'failed' && <ListLoadFailed what="your API keys" message={state.message} onRetry={retry} />}
      {state.kind === 'ready' &&
        (state.items.length === 0 ? (
          <p className="api-keys-empty">You have no API keys.</p>
        ) : (
          <ul className="session-list api-key-list" aria-label="API keys">
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
          title="Revoke this API key?"
          confirmLabel="Revoke key"
          danger
          failed={failed}
          onClose={() => {
            setRevoking(undefined);
          }}
          onConfirm={async () => {
            await auth.revokeApiKey(revoking.id);
            setRevoking(undefined);
            setAnnouncement(`Revoked ${revoking.name}.`);
            update((keys) => keys.filter((k) => k.id !== revoking.id));
          }}
        >
          <p>
            Anything using <strong className="wrap-anywhere">{revoking.name}</strong> (<code>{revoking.prefix}…</code>)
            stops working at once. This can’t be undone: to give it access again, create a new key.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
