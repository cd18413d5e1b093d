import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthClientError, type SecondFactorRequired, type SignedIn } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, fieldError, linkExpired, type Problem } from './errors';
import { Field } from './Field';
import { ForgotPasswordForm } from './ForgotPasswordForm';
import { FormAlert } from './FormAlert';
import { LinkChecking, LinkPage } from './LinkPage';
import { linkToken } from './linkToken';
import { NewPasswordField } from './NewPasswordField';
import { SecondFactorStep } from './SecondFactorStep';
import { useLinkAction } from './useLinkAction';

interface ResetPasswordPageProps {
  /** Whether someone is signed in in this browser: the way back says where it goes. */
  signedIn: boolean;
  /** The new password is set and this browser signed in with it. */
  onReset: (signedIn: SignedIn) => void;
  /** The new password is set but the second step was given up or ran out: sign in from the start. */
  onSignInAgain: (notice: string) => void;
}

/** /reset-password#token=…: checks the link first, so a dead one is said before anything is typed. */
export function ResetPasswordPage({ signedIn, onReset, onSignInAgain }: ResetPasswordPageProps) {
  const { t } = useTranslation();
  const { result, retry } = useLinkAction('reset-check', (token) => auth.checkPasswordResetToken(token));
  const [expired, setExpired] = useState(false);
  const [email, setEmail] = useState('');
  // Two-factor on: the password is changed, but a mailbox alone does not sign in.
  const [challenge, setChallenge] = useState<SecondFactorRequired | undefined>();

  const dead =
    expired ||
    result.kind === 'missing' ||
    (result.kind === 'failed' && result.error instanceof AuthClientError && result.error.code === 'invalid_token');

  return (
    <LinkPage
      title={
        dead
          ? t('auth:reset.titleDead')
          : challenge !== undefined
            ? t('auth:reset.titleChanged')
            : t('auth:reset.title')
      }
    >
      {result.kind === 'pending' && <LinkChecking>{t('auth:link.checking')}</LinkChecking>}
      {dead ? (
        <>
          <div role="alert" className="alert">
            <p>
              {result.kind === 'missing'
                ? t('auth:reset.missing')
                : t('auth:reset.expired', { linkExpired: linkExpired() })}
            </p>
          </div>
          <ForgotPasswordForm
            email={email}
            onEmailChange={setEmail}
            autoFocus={false}
            title={t('auth:reset.newLinkTitle')}
            showTitle={false}
            intro={t('auth:reset.newLinkIntro')}
          />
        </>
      ) : result.kind === 'failed' ? (
        <div role="alert" className="alert">
          <p>{describeError(result.error).message}</p>
          <button type="button" className="button button-secondary button-small" onClick={retry}>
            {t('auth:tryAgain')}
          </button>
        </div>
      ) : challenge !== undefined ? (
        <>
          <p className="notice-success" role="status">
            {t('auth:reset.confirmHere')}
          </p>
          <SecondFactorStep
            challenge={challenge}
            onSignedIn={onReset}
            onRestart={(message) => {
              onSignInAgain(t('auth:reset.signInAgain', { reason: message ?? t('auth:reset.signInWithNew') }));
            }}
          />
        </>
      ) : result.kind === 'done' ? (
        <NewPasswordForm
          onReset={onReset}
          onSecondFactor={setChallenge}
          onExpired={() => {
            setExpired(true);
          }}
        />
      ) : null}
      {challenge === undefined && (
        <button type="button" className="link-button link-page-back" onClick={replaceWithReader}>
          {signedIn ? t('auth:link.backToReader') : t('auth:link.backToSignIn')}
        </button>
      )}
    </LinkPage>
  );
}

interface NewPasswordFormProps {
  onReset: (signedIn: SignedIn) => void;
  onSecondFactor: (challenge: SecondFactorRequired) => void;
  onExpired: () => void;
}

function NewPasswordForm({ onReset, onSecondFactor, onExpired }: NewPasswordFormProps) {
  const { t } = useTranslation();
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  async function submit() {
    const token = linkToken();
    if (token === undefined) return;
    setProblem(undefined);
    if (newPassword !== confirmation) {
      setProblem({
        code: 'mismatch',
        message: t('auth:reset.mismatch'),
        fields: { confirmation: t('auth:reset.typeTwice') },
      });
      return;
    }
    setPending(true);
    try {
      const result = await auth.resetPassword({ token, newPassword });
      if (result.mfaRequired) onSecondFactor(result);
      else onReset(result);
    } catch (error) {
      const described = describeError(error);
      if (described.code === 'invalid_token') onExpired();
      else setProblem({ ...described, message: t('auth:reset.notChanged', { reason: described.message }) });
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={t('auth:reset.title')}>
      <p className="form-intro">{t('auth:reset.intro')}</p>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <NewPasswordField
        id="reset-new"
        label={t('auth:field.newPassword')}
        name="newPassword"
        autoFocus
        value={newPassword}
        onChange={setNewPassword}
        error={fieldError(problem, 'newPassword', t('auth:field.newPassword'))}
        errorKey={problem}
      />
      <Field
        id="reset-confirmation"
        label={t('auth:field.newPasswordAgain')}
        type="password"
        name="confirmation"
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => {
          setConfirmation(event.target.value);
        }}
        error={fieldError(problem, 'confirmation', t('auth:field.newPassword'))}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {t('auth:reset.submit')}
      </button>
    </form>
  );
}
