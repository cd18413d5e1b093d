import { useEffect } from 'react';
import { AuthClientError, type User } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, LINK_EXPIRED } from './errors';
import { LinkChecking, LinkPage } from './LinkPage';
import { ResendVerificationButton } from './ResendVerificationButton';
import { useLinkAction } from './useLinkAction';

interface VerifyEmailPageProps {
  /** Who is signed in in this browser, if anyone: they can ask for a new link here. */
  user: User | undefined;
  onVerified: (user: User) => void;
}

/** /verify-email#token=…: confirms the address, or says the link is spent and offers a new one. */
export function VerifyEmailPage({ user, onVerified }: VerifyEmailPageProps) {
  const { result, retry } = useLinkAction('verify-email', (token) => auth.verifyEmail(token));
  useEffect(() => {
    if (result.kind === 'done') onVerified(result.value);
  }, [result, onVerified]);
  const spent =
    result.kind === 'missing' ||
    (result.kind === 'failed' && result.error instanceof AuthClientError && result.error.code === 'invalid_token');

  return (
    <LinkPage title="Verify your email address">
      {result.kind === 'pending' && <LinkChecking>Checking your link…</LinkChecking>}
      {result.kind === 'done' && (
        <p className="notice-success" role="status">
          Your email address is verified: <strong className="wrap-anywhere">{result.value.email}</strong>.
        </p>
      )}
      {spent && (
        <div role="alert" className="alert">
          <p>
            {result.kind === 'missing'
              ? 'This page needs the link from your email. Open the link again.'
              : LINK_EXPIRED}{' '}
            {user === undefined
              ? 'Sign in to send a new one.'
              : user.emailVerified
                ? 'Your email address is already verified, so there is nothing more to do.'
                : 'Send a new one, and use the newest link.'}
          </p>
        </div>
      )}
      {result.kind === 'failed' && !spent && (
        <div role="alert" className="alert">
          <p>{describeError(result.error).message}</p>
          <button type="button" className="button button-secondary button-small" onClick={retry}>
            Try again
          </button>
        </div>
      )}
      {spent && user !== undefined && !user.emailVerified && (
        <ResendVerificationButton email={user.email} label="Send a new link" />
      )}
      {result.kind !== 'pending' && (
        <button type="button" className="button button-primary" onClick={replaceWithReader}>
          {user === undefined && result.kind !== 'done' ? 'Go to sign in' : 'Continue to Gatehouse Reader'}
        </button>
      )}
    </LinkPage>
  );
}
