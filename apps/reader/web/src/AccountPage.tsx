import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@gatehouse/client';
import { closeAccount } from './accountRoute';
import { ApiKeysSection } from './ApiKeysSection';
import { AppPasswordsSection } from './AppPasswordsSection';
import { auth } from './auth';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DeleteAccountSection } from './DeleteAccountSection';
import { Dialog } from './Dialog';
import { EmailSection } from './EmailSection';
import { describeError, isSessionEnded } from './errors';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { PasskeysSection } from './PasskeysSection';
import { SessionList } from './SessionList';
import { TwoFactorSection } from './TwoFactorSection';
import { useSecondFactors } from './useSecondFactors';
import './account.css';
import './factors.css';

interface AccountPageProps {
  user: User;
  /** The server knows better (the address was verified in another tab): fetch the user again. */
  onUserStale: () => void;
  onSessionEnded: () => void;
}

/** The account: its email, password, second factors, where it is signed in, API keys, and deleting it. */
export function AccountPage({ user, onUserStale, onSessionEnded }: AccountPageProps) {
  const { t } = useTranslation();
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const [apiKeysVersion, setApiKeysVersion] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const factors = useSecondFactors(onSessionEnded);

  // A new page for screen readers and keyboards: start at its heading, not where the
  // reader's menu button was.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const product = t('auth:productName');
  useEffect(() => {
    document.title = t('auth:pageTitle', { page: t('account:title'), product });
    return () => {
      document.title = product;
    };
  }, [t, product]);

  return (
    <div className="account-page">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="brand-name">{product}</span>
        </div>
        <button type="button" className="button button-secondary button-small" onClick={closeAccount}>
          <Icon name="back" />
          {t('account:backToReader')}
        </button>
      </header>

      <main className="account-main">
        <div className="account-heading">
          <h1 ref={headingRef} tabIndex={-1} className="account-title">
            {t('account:title')}
          </h1>
          <p className="account-who">{user.name === null ? user.email : `${user.name} · ${user.email}`}</p>
        </div>

        <EmailSection user={user} onUserStale={onUserStale} onSessionEnded={onSessionEnded} />

        <section className="account-section" aria-labelledby="password-title">
          <div className="account-section-head">
            <h2 id="password-title" className="account-section-title">
              {t('account:password.title')}
            </h2>
            <p className="account-section-hint">{t('account:password.hint')}</p>
          </div>
          <ChangePasswordForm
            email={user.email}
            onChanged={() => {
              setSessionsVersion((n) => n + 1);
              setApiKeysVersion((n) => n + 1);
            }}
            onSessionEnded={onSessionEnded}
          />
        </section>

        <TwoFactorSection email={user.email} factors={factors} onSessionEnded={onSessionEnded} />

        <PasskeysSection email={user.email} factors={factors} onSessionEnded={onSessionEnded} />

        <section className="account-section" aria-labelledby="sessions-title">
          <div className="account-section-head">
            <h2 id="sessions-title" className="account-section-title">
              {t('account:sessions.title')}
            </h2>
            <p className="account-section-hint">{t('account:sessions.hint')}</p>
          </div>
          <SessionList version={sessionsVersion} onSessionEnded={onSessionEnded} />
          <div className="account-everywhere">
            <p>{t('account:everywhere.hint')}</p>
            <button
              type="button"
              className="button button-danger-quiet button-small"
              onClick={() => {
                setConfirming(true);
              }}
            >
              {t('account:everywhere.button')}
            </button>
          </div>
        </section>

        <AppPasswordsSection email={user.email} version={apiKeysVersion} onSessionEnded={onSessionEnded} />

        <ApiKeysSection version={apiKeysVersion} onSessionEnded={onSessionEnded} />

        <DeleteAccountSection user={user} onSessionEnded={onSessionEnded} />
      </main>

      {confirming && (
        <SignOutEverywhereDialog
          onClose={() => {
            setConfirming(false);
          }}
          onSessionEnded={onSessionEnded}
        />
      )}
    </div>
  );
}

function SignOutEverywhereDialog({ onClose, onSessionEnded }: { onClose: () => void; onSessionEnded: () => void }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [keepApiKeys, setKeepApiKeys] = useState(false);

  async function confirm() {
    setPending(true);
    setMessage(undefined);
    try {
      await auth.signOutEverywhere({ keepApiKeys }); // the app returns to sign-in on the client's signed-out event
    } catch (error) {
      if (isSessionEnded(error)) onSessionEnded();
      else setMessage(describeError(error).message);
      setPending(false);
    }
  }

  return (
    <Dialog title={t('account:everywhere.dialogTitle')} onClose={onClose}>
      <p>{t('account:everywhere.dialogText')}</p>
      <div className="checkbox-field">
        <div className="checkbox">
          <input
            id="everywhere-keep-keys"
            type="checkbox"
            checked={keepApiKeys}
            aria-describedby="everywhere-keep-keys-hint"
            onChange={(event) => {
              setKeepApiKeys(event.target.checked);
            }}
          />
          <label htmlFor="everywhere-keep-keys">{t('account:keepApiKeys')}</label>
        </div>
        <p id="everywhere-keep-keys-hint" className="field-hint">
          {t('account:everywhere.keepApiKeysHint')}
        </p>
      </div>
      {message !== undefined && (
        <div role="alert" className="alert">
          <p>{message}</p>
        </div>
      )}
      <div className="dialog-actions account-dialog-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
          {t('account:cancel')}
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={pending}
          aria-busy={pending}
          onClick={() => {
            void confirm();
          }}
        >
          {t('account:everywhere.button')}
        </button>
      </div>
    </Dialog>
  );
}
