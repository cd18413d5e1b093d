import { useCallback, useEffect, useState } from 'react';
import { AuthClientError, type AppPassword, type CreatedAppPassword } from '@gatehouse/client';
import { AppPasswordRow } from './AppPasswordRow';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateAppPasswordForm } from './CreateAppPasswordForm';
import { describeError, isSessionEnded } from './errors';
import { NewAppPassword } from './NewAppPassword';
import './app-passwords.css';

type ListState =
  { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; appPasswords: AppPassword[] };

interface AppPasswordsSectionProps {
  /** The account's email now (an older password's Fever login may differ). */
  email: string;
  /** Changes when the list must be fetched again (a password change may have revoked them). */
  version: number;
  onSessionEnded: () => void;
}

/** Passwords for sync apps (Google Reader API, Fever): one per device, each revocable on its own. */
export function AppPasswordsSection({ email, version, onSessionEnded }: AppPasswordsSectionProps) {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [created, setCreated] = useState<CreatedAppPassword | undefined>();
  const [revoking, setRevoking] = useState<AppPassword | undefined>();
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
    auth.appPasswords().then(
      (appPasswords) => {
        if (current) setState({ kind: 'ready', appPasswords });
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
    <section className="account-section" aria-labelledby="app-passwords-title">
      <div className="account-section-head">
        <h2 id="app-passwords-title" className="account-section-title">
          App passwords
        </h2>
        <p className="account-section-hint">
          Apps like NetNewsWire, Reeder, Read You, FeedMe, Fluent Reader and newsboat sync with your reader using an app
          password; your account password never works in them. Give each device its own: you can revoke one at any time,
          and changing your password revokes them all.
        </p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your app passwords…
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>Could not load your app passwords. {state.message}</p>
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
        (state.appPasswords.length === 0 ? (
          <p className="api-keys-empty">No app passwords yet. Create one for each app you want to sync.</p>
        ) : (
          <ul className="session-list" aria-label="App passwords">
            {state.appPasswords.map((appPassword) => (
              <AppPasswordRow
                key={appPassword.id}
                appPassword={appPassword}
                email={email}
                onRevoke={() => {
                  setRevoking(appPassword);
                }}
              />
            ))}
          </ul>
        ))}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      {created === undefined ? (
        <CreateAppPasswordForm
          onCreated={(next) => {
            setCreated(next);
            setAnnouncement('');
            setState((previous) =>
              previous.kind === 'ready'
                ? { kind: 'ready', appPasswords: [next.appPassword, ...previous.appPasswords] }
                : previous,
            );
          }}
          onSessionEnded={onSessionEnded}
        />
      ) : (
        <NewAppPassword
          created={created}
          onDone={() => {
            setCreated(undefined);
          }}
        />
      )}

      {revoking !== undefined && (
        <ConfirmDialog
          title="Revoke this app password?"
          confirmLabel="Revoke"
          danger
          failed={failed}
          onClose={() => {
            setRevoking(undefined);
          }}
          onConfirm={async () => {
            await auth.revokeAppPassword(revoking.id).catch((error: unknown) => {
              // Revoked meanwhile (another tab, a password reset): it is gone either way.
              if (!(error instanceof AuthClientError && error.status === 404)) throw error;
            });
            setRevoking(undefined);
            setAnnouncement(`Revoked ${revoking.name}.`);
            setState((previous) =>
              previous.kind === 'ready'
                ? { kind: 'ready', appPasswords: previous.appPasswords.filter((p) => p.id !== revoking.id) }
                : previous,
            );
          }}
        >
          <p>
            Apps using <strong className="wrap-anywhere">{revoking.name}</strong> stop syncing at once. This can’t be
            undone: to sync again, create a new app password and enter it in the app.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
