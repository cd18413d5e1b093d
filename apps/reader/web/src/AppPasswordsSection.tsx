import { useState } from 'react';
import { AuthClientError, type AppPassword, type CreatedAppPassword } from '@gatehouse/client';
import { AppPasswordRow } from './AppPasswordRow';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateAppPasswordForm } from './CreateAppPasswordForm';
import { ListLoadFailed } from './ListLoadFailed';
import { NewAppPassword } from './NewAppPassword';
import { useAccountList } from './useAccountList';
import './app-passwords.css';

interface AppPasswordsSectionProps {
  /** The account's email now (an older password's Fever login may differ). */
  email: string;
  /** Changes when the list must be fetched again (a password change may have revoked them). */
  version: number;
  onSessionEnded: () => void;
}

/** Passwords for sync apps (Google Reader API, Fever): one per device, each revocable on its own. */
export function AppPasswordsSection({ email, version, onSessionEnded }: AppPasswordsSectionProps) {
  const { state, retry, update, failed } = useAccountList(auth.appPasswords, version, onSessionEnded);
  const [created, setCreated] = useState<CreatedAppPassword | undefined>();
  const [revoking, setRevoking] = useState<AppPassword | undefined>();
  const [announcement, setAnnouncement] = useState('');

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
      {state.kind === 'failed' && <ListLoadFailed what="your app passwords" message={state.message} onRetry={retry} />}
      {state.kind === 'ready' &&
        (state.items.length === 0 ? (
          <p className="api-keys-empty">No app passwords yet. Create one for each app you want to sync.</p>
        ) : (
          <ul className="session-list" aria-label="App passwords">
            {state.items.map((appPassword) => (
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
            update((appPasswords) => [next.appPassword, ...appPasswords]);
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
            update((appPasswords) => appPasswords.filter((p) => p.id !== revoking.id));
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
