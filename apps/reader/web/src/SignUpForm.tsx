import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { NewPasswordField } from './NewPasswordField';

interface SignUpFormProps {
  email: string;
  onEmailChange: (email: string) => void;
  autoFocus: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
  /** For `email_taken`: the account exists, so offer the sign-in form instead. */
  onSwitchToSignIn: () => void;
}

export function SignUpForm({ email, onEmailChange, autoFocus, onSignedIn, onSwitchToSignIn }: SignUpFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  async function submit() {
    setPending(true);
    setProblem(undefined);
    try {
      const trimmed = name.trim();
      onSignedIn(await auth.signUp({ email, password, ...(trimmed === '' ? {} : { name: trimmed }) }));
    } catch (error) {
      setProblem(describeError(error));
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="auth-heading">
      <h2 id="auth-heading" className="form-title">
        {t('auth:signUp.title')}
      </h2>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
          {problem.code === 'email_taken' && (
            <button type="button" className="button button-secondary button-small" onClick={onSwitchToSignIn}>
              {t('auth:signUp.goToSignIn')}
            </button>
          )}
        </FormAlert>
      )}
      <Field
        id="signup-name"
        label={t('auth:signUp.name')}
        type="text"
        name="name"
        autoComplete="name"
        maxLength={100}
        autoFocus={autoFocus}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', t('auth:field.name'))}
      />
      <Field
        id="signup-email"
        label={t('auth:field.email')}
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => {
          onEmailChange(event.target.value);
        }}
        error={fieldError(problem, 'email', t('auth:field.email'))}
      />
      <NewPasswordField
        id="signup-password"
        label={t('auth:field.password')}
        name="password"
        hint={t('auth:signUp.passwordHint')}
        value={password}
        onChange={setPassword}
        error={fieldError(problem, 'password', t('auth:field.password'))}
        errorKey={problem}
        email={email}
        userName={name.trim()}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {t('auth:signUp.submit')}
      </button>
    </form>
  );
}
