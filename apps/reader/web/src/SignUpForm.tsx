import { useState, type SubmitEvent } from 'react';
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
        Create your account
      </h2>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
          {problem.code === 'email_taken' && (
            <button type="button" className="button button-secondary button-small" onClick={onSwitchToSignIn}>
              Go to sign-in
            </button>
          )}
        </FormAlert>
      )}
      <Field
        id="signup-name"
        label="Name (optional)"
        type="text"
        name="name"
        autoComplete="name"
        maxLength={100}
        autoFocus={autoFocus}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', 'Name')}
      />
      <Field
        id="signup-email"
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => {
          onEmailChange(event.target.value);
        }}
        error={fieldError(problem, 'email', 'Email')}
      />
      <NewPasswordField
        id="signup-password"
        label="Password"
        name="password"
        hint="At least 8 characters"
        value={password}
        onChange={setPassword}
        error={fieldError(problem, 'password', 'Password')}
        errorKey={problem}
        email={email}
        userName={name.trim()}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Create account
      </button>
    </form>
  );
}
