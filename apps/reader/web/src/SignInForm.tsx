import { useState, type SubmitEvent } from 'react';
import type { SignedIn } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';

interface SignInFormProps {
  email: string;
  onEmailChange: (email: string) => void;
  /** Shown before any attempt, e.g. "Your session has ended…". */
  notice?: string | undefined;
  autoFocus: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
  onForgotPassword: () => void;
}

export function SignInForm({ email, onEmailChange, notice, autoFocus, onSignedIn, onForgotPassword }: SignInFormProps) {
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(
    notice === undefined ? undefined : { code: 'notice', message: notice, fields: {} },
  );

  async function submit() {
    setPending(true);
    setProblem(undefined);
    try {
      onSignedIn(await auth.signIn({ email, password, remember }));
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
        Welcome back
      </h2>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="signin-email"
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        autoFocus={autoFocus}
        value={email}
        onChange={(event) => {
          onEmailChange(event.target.value);
        }}
        error={fieldError(problem, 'email', 'Email')}
      />
      <Field
        id="signin-password"
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
        }}
        error={fieldError(problem, 'password', 'Password')}
      />
      <div className="signin-options">
        <div className="checkbox">
          <input
            id="signin-remember"
            type="checkbox"
            name="remember"
            checked={remember}
            onChange={(event) => {
              setRemember(event.target.checked);
            }}
          />
          <label htmlFor="signin-remember">Keep me signed in</label>
        </div>
        <button type="button" className="link-button" onClick={onForgotPassword}>
          Forgot password?
        </button>
      </div>
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Sign in
      </button>
    </form>
  );
}
