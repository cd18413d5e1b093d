import { useEffect } from 'react';
import { AuthClientError, type User } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, LINK_EXPIRED } from './errors';
import { LinkChecking, LinkPage } from './LinkPage';
import { useLinkAction } from './useLinkAction';

interface ConfirmEmailPageProps {
  signedIn: boolean;
  onConfirmed: (user: User) => void;
}

/** What each failure means for the user; anything else is the usual sentence. */
function failureMessage(error: unknown): string {
  if (error instanceof AuthClientError && error.code === 'invalid_token') {
    return `${LINK_EXPIRED} Your email address was not changed; you can change it again from your account page.`;
  }
  if (error instanceof AuthClientError && error.code === 'email_taken') {
    return 'Another account now uses that address, so your email address was not changed.';
  }
  return describeError(error).message;
}

/** /confirm-email#token=…: the new address takes over once the link sent to it is opened. */
export function ConfirmEmailPage({ signedIn, onConfirmed }: ConfirmEmailPageProps) {
  const { result, retry } = useLinkAction('confirm-email', (token) => auth.confirmEmailChange(token));
  useEffect(() => {
    if (result.kind === 'done') onConfirmed(result.value);
  }, [result, onConfirmed]);
  const retryable = result.kind === 'failed' && !(result.error instanceof AuthClientError && result.error.status < 500);

  return (
    <LinkPage title="Confirm your new email address">
      {result.kind === 'pending' && <LinkChecking>Checking your link…</LinkChecking>}
      {result.kind === 'done' && (
        <p className="notice-success" role="status">
          Your email address is now <strong className="wrap-anywhere">{result.value.email}</strong>. Use it to sign in
          from now on.
        </p>
      )}
      {result.kind === 'missing' && (
        <div role="alert" className="alert">
          <p>This page needs the link from your email. Open the link again.</p>
        </div>
      )}
      {result.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>{failureMessage(result.error)}</p>
          {retryable && (
            <button type="button" className="button button-secondary button-small" onClick={retry}>
              Try again
            </button>
          )}
        </div>
      )}
      {result.kind !== 'pending' && (
        <button type="button" className="button button-primary" onClick={replaceWithReader}>
          {signedIn ? 'Continue to Gatehouse Reader' : 'Go to sign in'}
        </button>
      )}
    </LinkPage>
  );
}
