import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecondFactorRequired, SignedIn } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { Icon } from './Icon';
import { usePasskeySignIn } from './usePasskeySignIn';

interface SignInFormProps {
  email: string;
  onEmailChange: (email: string) => void;
  /** Shown before any attempt, e.g. "Your session has ended…". */
  notice?: string | undefined;
  autoFocus: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
  /** The password was right and the account has a second factor: the card asks for it next. */
  onSecondFactor: (challenge: SecondFactorRequired) => void;
  onForgotPassword: () => void;
}

export function SignInForm({
  email,
  onEmailChange,
  notice,
  autoFocus,
  onSignedIn,
  onSecondFactor,
  onForgotPassword,
}: SignInFormProps) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(
    notice === undefined ? undefined : { code: 'notice', message: notice, fields: {} },
  );
  const passkey = usePasskeySignIn({ remember, onSignedIn, onProblem: setProblem });

  async function submit() {
    setPending(true);
    setProblem(undefined);
    passkey.pause();
    try {
      const result = await auth.signIn({ email, password, remember });
      if (result.mfaRequired) onSecondFactor(result);
      else onSignedIn(result);
    } catch (error) {
      setProblem(describeError(error));
      setPending(false);
      passkey.resume();
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="auth-heading">
      <h2 id="auth-heading" className="form-title">
        {t('auth:signIn.title')}
      </h2>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="signin-email"
        label={t('auth:field.email')}
        type="email"
        name="email"
        // "webauthn" lets the browser offer passkeys among the suggestions (conditional UI).
        autoComplete="username webauthn"
        required
        autoFocus={autoFocus}
        value={email}
        onChange={(event) => {
          onEmailChange(event.target.value);
        }}
        error={fieldError(problem, 'email', t('auth:field.email'))}
      />
      <Field
        id="signin-password"
        label={t('auth:field.password')}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
        }}
        error={fieldError(problem, 'password', t('auth:field.password'))}
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
          <label htmlFor="signin-remember">{t('auth:signIn.remember')}</label>
        </div>
        <button type="button" className="link-button" onClick={onForgotPassword}>
          {t('auth:signIn.forgot')}
        </button>
      </div>
      <button type="submit" className="button button-primary" disabled={pending || passkey.pending} aria-busy={pending}>
        {t('auth:signIn.submit')}
      </button>
      {passkey.supported && (
        <>
          <p className="divider" aria-hidden="true">
            <span>{t('auth:signIn.or')}</span>
          </p>
          <button
            type="button"
            className="button button-secondary button-passkey"
            disabled={pending || passkey.pending}
            aria-busy={passkey.pending}
            onClick={() => {
              void passkey.signInWithPasskey();
            }}
          >
            <Icon name="passkey" />
            {t('auth:signIn.passkey')}
          </button>
        </>
      )}
    </form>
  );
}
