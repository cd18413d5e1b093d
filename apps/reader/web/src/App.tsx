import { useCallback, useEffect, useState } from 'react';
import type { SignedIn } from '@gatehouse/client';
import { AccountPage } from './AccountPage';
import { useAccountRoute } from './accountRoute';
import { AuthCard } from './AuthCard';
import { auth } from './auth';
import { rememberMode } from './browserMode';
import { describeError, SESSION_ENDED } from './errors';
import { ReaderShell } from './ReaderShell';
import { signedOutNotice } from './signedOutNotice';

type AppState =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'signedOut'; notice?: string; email?: string }
  | { kind: 'signedIn'; signedIn: SignedIn };

/** Who is signed in decides the page: the reader, or the sign-in card. */
export function App() {
  const [state, setState] = useState<AppState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const onAccountPage = useAccountRoute();

  useEffect(() => {
    let current = true;
    auth.me().then(
      (signedIn) => {
        if (current) setState(signedIn === null ? { kind: 'signedOut' } : { kind: 'signedIn', signedIn });
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
    signedOut(SESSION_ENDED);
  }, [signedOut]);

  // The auth client knows first: a 401 it could not refresh past, a sign-out in another tab.
  useEffect(
    () =>
      auth.onSignedOut(({ reason }) => {
        signedOut(signedOutNotice(reason));
      }),
    [signedOut],
  );

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
          if (me === null) sessionEnded();
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
  }, [signedIn, sessionEnded]);

  switch (state.kind) {
    case 'loading':
      return (
        <div className="center" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading…
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
            Try again
          </button>
        </div>
      );
    case 'signedOut':
      return (
        <AuthCard
          notice={state.notice}
          initialEmail={state.email}
          onSignedIn={(signedIn) => {
            setState({ kind: 'signedIn', signedIn });
          }}
        />
      );
    case 'signedIn':
      if (onAccountPage) {
        return <AccountPage user={state.signedIn.user} onSessionEnded={sessionEnded} />;
      }
      return (
        <ReaderShell
          user={state.signedIn.user}
          onSignedOut={() => {
            setState({ kind: 'signedOut' });
          }}
          onSessionEnded={sessionEnded}
        />
      );
  }
}
