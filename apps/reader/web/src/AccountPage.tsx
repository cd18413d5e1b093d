import { useEffect, useRef, useState } from 'react';
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
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const [apiKeysVersion, setApiKeysVersion] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const factors = useSecondFactors(onSessionEnded);

  // A new page for screen readers and keyboards: start at its heading, not where the
  // reader's menu button was.
  useEffect(() => {
    headingRef.current?.focus();
    document.title = 'Account · Gatehouse Reader';
    return () => {
      document.title = 'Gatehouse Reader';
    };
  }, []);

  return (
    <div className="account-page">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="brand-name">Gatehouse Reader</span>
        </div>
        <button type="button" className="button button-secondary button-small" onClick={closeAccount}>
          <Icon name="back" />
          Back to reader
        </button>
      </header>

      <main className="account-main">
        <div className="account-heading">
          <h1 ref={headingRef} tabIndex={-1} className="account-title">
            Account
          </h1>
          <p className="account-who">{user.name === null ? user.email : `${user.name} · ${user.email}`}</p>
        </div>

        <EmailSection user={user} onUserStale={onUserStale} onSessionEnded={onSessionEnded} />

        <section className="account-section" aria-labelledby="password-title">
          <div className="account-section-head">
            <h2 id="password-title" className="account-section-title">
              Change password
            </h2>
            <p className="account-section-hint">
              Changing it signs you out on every other device and reader app, and revokes your API keys unless you keep
              them.
            </p>
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
              Where you’re signed in
            </h2>
            <p className="account-section-hint">Don’t recognize a device? Revoke it, then change your password.</p>
          </div>
          <SessionList version={sessionsVersion} onSessionEnded={onSessionEnded} />
          <div className="account-everywhere">
            <p>Signs you out on every device and browser, including this one.</p>
            <button
              type="button"
              className="button button-danger-quiet button-small"
              onClick={() => {
                setConfirming(true);
              }}
            >
              Sign out everywhere
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
    <Dialog title="Sign out everywhere?" onClose={onClose}>
      <p>
        You will be signed out on every device and browser where you use Gatehouse Reader, including this one, and every
        app password is revoked.
      </p>
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
          <label htmlFor="everywhere-keep-keys">Keep my API keys working</label>
        </div>
        <p id="everywhere-keep-keys-hint" className="field-hint">
          Otherwise your API keys are revoked too, and scripts and apps using them stop working.
        </p>
      </div>
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
            void confirm();
          }}
        >
          Sign out everywhere
        </button>
      </div>
    </Dialog>
  );
}
