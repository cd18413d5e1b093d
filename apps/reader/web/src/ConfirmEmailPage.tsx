import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthClientError, type User } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, linkExpired } from './errors';
import { i18n } from './i18n';
import { LinkChecking, LinkPage } from './LinkPage';
import { useLinkAction } from './useLinkAction';
import { Sentence } from './Sentence';

interface ConfirmEmailPageProps {
  signedIn: boolean;
  onConfirmed: (user: User) => void;
}

/** What each failure means for the user; anything else is the usual sentence. */
function failureMessage(error: unknown): string {
  if (error instanceof AuthClientError && error.code === 'invalid_token') {
    return i18n.t('auth:confirm.expired', { linkExpired: linkExpired() });
  }
  if (error instanceof AuthClientError && error.code === 'email_taken') {
    return i18n.t('auth:confirm.taken');
  }
  return describeError(error).message;
}

/** /confirm-email#token=…: the new address takes over once the link sent to it is opened. */
export function ConfirmEmailPage({ signedIn, onConfirmed }: ConfirmEmailPageProps) {
  const { t } = useTranslation();
  const { result, retry } = useLinkAction('confirm-email', (token) => auth.confirmEmailChange(token));
  useEffect(() => {
    if (result.kind === 'done') onConfirmed(result.value);
  }, [result, onConfirmed]);
  const retryable = result.kind === 'failed' && !(result.error instanceof AuthClientError && result.error.status < 500);

  return (
    <LinkPage title={t('auth:confirm.title')}>
      {result.kind === 'pending' && <LinkChecking>{t('auth:link.checking')}</LinkChecking>}
      {result.kind === 'done' && (
        <p className="notice-success" role="status">
          <Sentence
            i18nKey="auth:confirm.done"
            values={{ email: result.value.email }}
            components={{ strong: <strong className="wrap-anywhere" /> }}
          />
        </p>
      )}
      {result.kind === 'missing' && (
        <div role="alert" className="alert">
          <p>{t('auth:link.missing')}</p>
        </div>
      )}
      {result.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>{failureMessage(result.error)}</p>
          {retryable && (
            <button type="button" className="button button-secondary button-small" onClick={retry}>
              {t('auth:tryAgain')}
            </button>
          )}
        </div>
      )}
      {result.kind !== 'pending' && (
        <button type="button" className="button button-primary" onClick={replaceWithReader}>
          {signedIn ? t('auth:link.continue') : t('auth:link.goToSignIn')}
        </button>
      )}
    </LinkPage>
  );
}
