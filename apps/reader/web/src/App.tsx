import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedIn, User } from '@gatehouse/client';
import { AccountPage } from './AccountPage';
import { Appearance } from './Appearance';
import { replaceWithReader, usePage } from './accountRoute';
import { AuthCard } from './AuthCard';
import { auth } from './auth';
import { rememberMode } from './browserMode';
import { ConfirmEmailPage } from './ConfirmEmailPage';
import { describeError, sessionEndedNotice } from './errors';
import './error-text.css';
import { isFirstRun } from './firstRun';
import { PreferencesProvider } from './preferences';
import { ReaderShell } from './ReaderShell';
import { ResetPasswordPage } from './ResetPasswordPage';
import { SavedLanguage } from './SavedLanguage';
import { accountDeleted, signedOutNotice } from './signedOutNotice';
import { StepUpPrompt } from './StepUpPrompt';
import { VerifyEmailPage } from './VerifyEmailPage';

type AppState =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'signedOut'; notice?: string; email?: string; firstRun?: boolean }
  | { kind: 'signedIn'; signedIn: SignedIn; notice?: string };

/** Who is signed in decides the page: the reader, or the sign-in card; mail links open their own pages. */
export function App() {
  const { t } = useTranslation();
  const [state, setState] = useState<AppState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const page = usePage();

  useEffect(() => {
    let current = true;
    auth.me().then(
      (signedIn) => {
        if (!current) return;
        if (signedIn !== null) setState({ kind: 'signedIn', signedIn });
        else
          void isFirstRun().then((firstRun) => {
            if (current) setState({ kind: 'signedOut', firstRun });
          });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'unavailable', message: describeError(error).message });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  // Whoever was signed in will most likely sign in again: keep their email in the form.
  const signedOut = useCallback((notice: string | undefined) => {
    setState((previous) =>
      previous.kind === 'signedIn'
        ? { kind: 'signedOut', notice, email: previous.signedIn.user.email }
        : previous.kind === 'signedOut'
          ? previous // already said why
          : { kind: 'signedOut', notice },
    );
  }, []);
  const sessionEnded = useCallback(() => {
    signedOut(sessionEndedNotice());
  }, [signedOut]);

  // The auth client knows first: a 401 it could not refresh past, a sign-out in another tab.
  useEffect(
    () =>
      auth.onSignedOut(({ reason }) => {
        if (reason !== 'deleted') {
          signedOut(signedOutNotice(reason));
          return;
        }
        // Nobody signs in to a deleted account again: no email kept, and not back on /account.
        setState({ kind: 'signedOut', notice: accountDeleted() });
        replaceWithReader();
      }),
    [signedOut],
  );

  /** A mail link changed the user (verified, new address): show it, if it is who is signed in here. */
  const userChanged = useCallback((user: User) => {
    setState((previous) =>
      previous.kind === 'signedIn' && previous.signedIn.user.id === user.id
        ? { ...previous, signedIn: { ...previous.signedIn, user } }
        : previous,
    );
  }, []);
  const refreshUser = useCallback(() => {
    auth.me().then(
      (me) => {
        if (me !== null) userChanged(me.user);
      },
      () => {
        // Not worth a message: the page still shows what it knew.
      },
    );
  }, [userChanged]);

  // The next page load starts the client in the mode this server answered with.
  useEffect(() => {
    if (state.kind === 'signedIn') rememberMode(auth.mode);
  }, [state]);

  // Coming back to the tab: the session may have expired or been revoked meanwhile.
  const signedIn = state.kind === 'signedIn';
  useEffect(() => {
    if (!signedIn) return;
    const recheck = () => {
      if (document.visibilityState !== 'visible') return;
      auth.me().then(
        (me) => {
          // Signed out elsewhere, or changed elsewhere (an address verified in another tab).
          if (me === null) sessionEnded();
          else userChanged(me.user);
        },
        () => {
          // Offline or a server hiccup is not a sign-out; the next call will tell.
        },
      );
    };
    document.addEventListener('visibilitychange', recheck);
    return () => {
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [signedIn, sessionEnded, userChanged]);

  const user = state.kind === 'signedIn' ? state.signedIn.user : undefined;
  return (
    <PreferencesProvider userId={user?.id}>
      <Appearance />
      <SavedLanguage />
      {page === 'reset-password' ? (
        <ResetPasswordPage
          signedIn={user !== undefined}
          onReset={(next) => {
            setState({ kind: 'signedIn', signedIn: next, notice: t('reader:app.passwordResetDone') });
            replaceWithReader();
          }}
          onSignInAgain={(notice) => {
            setState({ kind: 'signedOut', notice });
            replaceWithReader();
          }}
        />
      ) : page === 'verify-email' ? (
        <VerifyEmailPage user={user} onVerified={userChanged} />
      ) : page === 'confirm-email' ? (
        <ConfirmEmailPage signedIn={user !== undefined} onConfirmed={userChanged} />
      ) : (
        renderApp()
      )}
      {user !== undefined && <StepUpPrompt email={user.email} />}
    </PreferencesProvider>
  );

  function renderApp() {
    switch (state.kind) {
      case 'loading':
        return (
          <div className="center" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('common:loading')}
          </div>
        );
      case 'unavailable':
        return (
          <div className="center center-column">
            <div role="alert" className="alert">
              <p>{state.message}</p>
            </div>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setState({ kind: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              {t('common:tryAgain')}
            </button>
          </div>
        );
      case 'signedOut':
        return (
          <AuthCard
            notice={state.notice}
            initialEmail={state.email}
            startOnSignUp={state.firstRun === true}
            onSignedIn={(signedIn) => {
              setState({ kind: 'signedIn', signedIn });
            }}
          />
        );
      case 'signedIn':
        if (page === 'account') {
          return <AccountPage user={state.signedIn.user} onUserStale={refreshUser} onSessionEnded={sessionEnded} />;
        }
        return (
          <ReaderShell
            user={state.signedIn.user}
            notice={state.notice}
            onDismissNotice={() => {
              setState((previous) =>
                previous.kind === 'signedIn' ? { kind: 'signedIn', signedIn: previous.signedIn } : previous,
              );
            }}
            onUserStale={refreshUser}
            onSignedOut={() => {
              setState({ kind: 'signedOut' });
            }}
            onSessionEnded={sessionEnded}
          />
        );
    }
  }
}
