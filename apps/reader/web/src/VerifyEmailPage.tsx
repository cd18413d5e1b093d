import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthClientError, type User } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, linkExpired } from './errors';
import { LinkChecking, LinkPage } from './LinkPage';
import { ResendVerificationButton } from './ResendVerificationButton';
import { useLinkAction } from './useLinkAction';
import { Sentence } from './Sentence';

interface VerifyEmailPageProps {
  /** Who is signed in in this browser, if anyone: they can ask for a new link here. */
  user: User | undefined;
  onVerified: (user: User) => void;
}

/** /verify-email#token=…: confirms the address, or says the link is spent and offers a new one. */
export function VerifyEmailPage({ user, onVerified }: VerifyEmailPageProps) {
  const { t } = useTranslation();
  const { result, retry } = useLinkAction('verify-email', (token) => auth.verifyEmail(token));
  useEffect(() => {
    if (result.kind === 'done') onVerified(result.value);
  }, [result, onVerified]);
  const spent =
    result.kind === 'missing' ||
    (result.kind === 'failed' && result.error instanceof AuthClientError && result.error.code === 'invalid_token');

  return (
    <LinkPage title={t('auth:verify.title')}>
      {result.kind === 'pending' && <LinkChecking>{t('auth:link.checking')}</LinkChecking>}
      {result.kind === 'done' && (
        <p className="notice-success" role="status">
          <Sentence
            i18nKey="auth:verify.done"
            values={{ email: result.value.email }}
            components={{ strong: <strong className="wrap-anywhere" /> }}
          />
        </p>
      )}
      {spent && (
        <div role="alert" className="alert">
          <p>
            {result.kind === 'missing' ? t('auth:link.missing') : linkExpired()}{' '}
            {user === undefined
              ? t('auth:verify.signInToResend')
              : user.emailVerified
                ? t('auth:verify.alreadyVerified')
                : t('auth:verify.sendNew')}
          </p>
        </div>
      )}
      {result.kind === 'failed' && !spent && (
        <div role="alert" className="alert">
          <p>{describeError(result.error).message}</p>
          <button type="button" className="button button-secondary button-small" onClick={retry}>
            {t('auth:tryAgain')}
          </button>
        </div>
      )}
      {spent && user !== undefined && !user.emailVerified && (
        <ResendVerificationButton email={user.email} label={t('auth:verify.sendNewLink')} />
      )}
      {result.kind !== 'pending' && (
        <button type="button" className="button button-primary" onClick={replaceWithReader}>
          {user === undefined && result.kind !== 'done' ? t('auth:link.goToSignIn') : t('auth:link.continue')}
        </button>
      )}
    </LinkPage>
  );
}
