import { useCallback, useEffect, useState } from 'react';
import type { ApiKey, CreatedApiKey } from '@gatehouse/client';
import { ApiKeyRow } from './ApiKeyRow';
import { auth } from './auth';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import { Dialog } from './Dialog';
import { describeError, isSessionEnded } from './errors';
import { NewApiKeySecret } from './NewApiKeySecret';

type ListState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; keys: ApiKey[] };

interface ApiKeysSectionProps {
  /** Changes when the list must be fetched again (a password change may have revoked every key). */
  version: number;
  onSessionEnded: () => void;
}

/** Keys for scripts and apps: what exists, when each was last used, revoking one, making one. */
export function ApiKeysSection({ version, onSessionEnded }: ApiKeysSectionProps) {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const [announcement, setAnnouncement] = useState('');

  const failed = useCallback(
    (error: unknown) => {
      if (isSessionEnded(error)) onSessionEnded();
      return describeError(error).message;
    },
    [onSessionEnded],
  );

  useEffect(() => {
    let current = true;
    auth.apiKeys().then(
      (keys) => {
        if (current) setState({ kind: 'ready', keys });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', message: failed(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [version, attempt, failed]);

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
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>Could not load your API keys. {state.message}</p>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setState({ kind: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {state.kind === 'ready' &&
        (state.keys.length === 0 ? (
          <p className="api-keys-empty">You have no API keys.</p>
        ) : (
          <ul className="session-list api-key-list" aria-label="API keys">
            {state.keys.map((key) => (
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
            setState((previous) =>
              previous.kind === 'ready' ? { kind: 'ready', keys: [next.apiKey, ...previous.keys] } : previous,
            );
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
        <RevokeApiKeyDialog
          apiKey={revoking}
          onClose={() => {
            setRevoking(undefined);
          }}
          onRevoked={() => {
            setRevoking(undefined);
            setAnnouncement(`Revoked ${revoking.name}.`);
            setState((previous) =>
              previous.kind === 'ready'
                ? { kind: 'ready', keys: previous.keys.filter((k) => k.id !== revoking.id) }
                : previous,
            );
          }}
          failed={failed}
        />
      )}
    </section>
  );
}

interface RevokeApiKeyDialogProps {
  apiKey: ApiKey;
  onClose: () => void;
  onRevoked: () => void;
  failed: (error: unknown) => string;
}

function RevokeApiKeyDialog({ apiKey, onClose, onRevoked, failed }: RevokeApiKeyDialogProps) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | undefined>();

  async function revoke() {
    setPending(true);
    setMessage(undefined);
    try {
      await auth.revokeApiKey(apiKey.id);
      onRevoked();
    } catch (error) {
      setMessage(failed(error));
      setPending(false);
    }
  }

  return (
    <Dialog title="Revoke this API key?" onClose={onClose}>
      <p>
        Anything using <strong className="wrap-anywhere">{apiKey.name}</strong> (<code>{apiKey.prefix}…</code>) stops
        working at once. This can’t be undone: to give it access again, create a new key.
      </p>
      {message !== undefined && (
        <div role="alert" className="alert">
          <p>{message}</p>
        </div>
      )}
      <div className="dialog-actions account-dialog-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={pending}
          aria-busy={pending}
          onClick={() => {
            void revoke();
          }}
        >
          Revoke key
        </button>
      </div>
    </Dialog>
  );
}
