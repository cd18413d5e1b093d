import { useState, type SubmitEvent } from 'react';
import { AuthClientError, type SecondFactorRequired, type SignedIn } from '@gatehouse/client';
import { replaceWithReader } from './accountRoute';
import { auth } from './auth';
import { describeError, fieldError, LINK_EXPIRED, type Problem } from './errors';
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

const NOT_CHANGED = 'Your password was not changed.';
const PASSWORD_CHANGED = 'Your password was changed.';

/** /reset-password#token=…: checks the link first, so a dead one is said before anything is typed. */
export function ResetPasswordPage({ signedIn, onReset, onSignInAgain }: ResetPasswordPageProps) {
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
      title={dead ? 'Reset your password' : challenge !== undefined ? 'Password changed' : 'Choose a new password'}
    >
      {result.kind === 'pending' && <LinkChecking>Checking your link…</LinkChecking>}
      {dead ? (
        <>
          <div role="alert" className="alert">
            <p>
              {result.kind === 'missing'
                ? 'This page needs the link from your email. Open the link again, or ask for a new one.'
                : `${LINK_EXPIRED} Ask for a new one below.`}
            </p>
          </div>
          <ForgotPasswordForm
            email={email}
            onEmailChange={setEmail}
            autoFocus={false}
            title="Send a new link"
            showTitle={false}
            intro="Enter the email address you sign in with. A new link replaces every earlier one."
          />
        </>
      ) : result.kind === 'failed' ? (
        <div role="alert" className="alert">
          <p>{describeError(result.error).message}</p>
          <button type="button" className="button button-secondary button-small" onClick={retry}>
            Try again
          </button>
        </div>
      ) : challenge !== undefined ? (
        <>
          <p className="notice-success" role="status">
            Every other device was signed out. To sign in here, confirm it’s you.
          </p>
          <SecondFactorStep
            challenge={challenge}
            onSignedIn={onReset}
            onRestart={(message) => {
              onSignInAgain(`${PASSWORD_CHANGED} ${message ?? 'Sign in with your new password.'}`);
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
          {signedIn ? 'Back to the reader' : 'Back to sign in'}
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
        message: `${NOT_CHANGED} The two passwords are not the same.`,
        fields: { confirmation: 'Type the same new password twice' },
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
      else setProblem({ ...described, message: `${NOT_CHANGED} ${described.message}` });
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="Choose a new password">
      <p className="form-intro">
        Every device signed in to your account will be signed out, and your API keys revoked. This browser stays signed
        in.
      </p>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <NewPasswordField
        id="reset-new"
        label="New password"
        name="newPassword"
        autoFocus
        value={newPassword}
        onChange={setNewPassword}
        error={fieldError(problem, 'newPassword', 'New password')}
        errorKey={problem}
      />
      <Field
        id="reset-confirmation"
        label="New password, again"
        type="password"
        name="confirmation"
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => {
          setConfirmation(event.target.value);
        }}
        error={fieldError(problem, 'confirmation', 'New password')}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Set new password
      </button>
    </form>
  );
}
