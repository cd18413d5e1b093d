import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthClientError, type AppPassword, type CreatedAppPassword } from '@gatehouse/client';
import { AppPasswordRow } from './AppPasswordRow';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateAppPasswordForm } from './CreateAppPasswordForm';
import { ListLoadFailed } from './ListLoadFailed';
import { NewAppPassword } from './NewAppPassword';
import { useAccountList } from './useAccountList';
import './app-passwords.css';
import { Sentence } from './Sentence';

interface AppPasswordsSectionProps {
  /** The account's email now (an older password's Fever login may differ). */
  email: string;
  /** Changes when the list must be fetched again (a password change may have revoked them). */
  version: number;
  onSessionEnded: () => void;
}

/** Passwords for sync apps (Google Reader API, Fever): one per device, each revocable on its own. */
export function AppPasswordsSection({ email, version, onSessionEnded }: AppPasswordsSectionProps) {
  const { t } = useTranslation();
  const { state, retry, update, failed } = useAccountList(auth.appPasswords, version, onSessionEnded);
  const [created, setCreated] = useState<CreatedAppPassword | undefined>();
  const [revoking, setRevoking] = useState<AppPassword | undefined>();
  const [announcement, setAnnouncement] = useState('');

  return (
    <section className="account-section" aria-labelledby="app-passwords-title">
      <div className="account-section-head">
        <h2 id="app-passwords-title" className="account-section-title">
          {t('account:appPasswords.title')}
        </h2>
        <p className="account-section-hint">{t('account:appPasswords.hint')}</p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('account:appPasswords.loading')}
        </p>
      )}
      {state.kind === 'failed' && (
        <ListLoadFailed what={t('account:appPasswords.what')} message={state.message} onRetry={retry} />
      )}
      {state.kind === 'ready' &&
        (state.items.length === 0 ? (
          <p className="api-keys-empty">{t('account:appPasswords.empty')}</p>
        ) : (
          <ul className="session-list" aria-label={t('account:appPasswords.title')}>
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
          title={t('account:appPasswords.revokeTitle')}
          confirmLabel={t('account:revoke')}
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
            setAnnouncement(t('account:revoked', { name: revoking.name }));
            update((appPasswords) => appPasswords.filter((p) => p.id !== revoking.id));
          }}
        >
          <p>
            <Sentence
              i18nKey="account:appPasswords.revokeText"
              values={{ name: revoking.name }}
              components={{ strong: <strong className="wrap-anywhere" /> }}
            />
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
