import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from './auth';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { Sentence } from './Sentence';

interface ForgotPasswordFormProps {
  email: string;
  onEmailChange: (email: string) => void;
  autoFocus: boolean;
  /** The form's name: "Reset your password" on the sign-in card, another on an expired link. */
  title?: string | undefined;
  /** False where the page's own heading says it already. */
  showTitle?: boolean;
  intro?: string | undefined;
}

/**
 * Asks for a reset link. The answer is the same whether or not an account uses the
 * address (the server's too), so the form cannot be used to find out who has one.
 */
export function ForgotPasswordForm({
  email,
  onEmailChange,
  autoFocus,
  title,
  showTitle = true,
  intro,
}: ForgotPasswordFormProps) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [sentTo, setSentTo] = useState<string | undefined>();
  const sentRef = useRef<HTMLParagraphElement>(null);

  async function submit() {
    setPending(true);
    setProblem(undefined);
    setSentTo(undefined);
    const address = email.trim();
    try {
      await auth.requestPasswordReset(address);
      setSentTo(address);
      requestAnimationFrame(() => sentRef.current?.focus());
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={title ?? t('auth:forgot.title')}>
      <div>
        {showTitle && <h2 className="form-title">{title ?? t('auth:forgot.title')}</h2>}
        <p className="form-intro">{intro ?? t('auth:forgot.intro')}</p>
      </div>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      {sentTo !== undefined && (
        <p ref={sentRef} className="notice-success" role="status" tabIndex={-1}>
          <Sentence
            i18nKey="auth:forgot.sent"
            values={{ email: sentTo }}
            components={{ strong: <strong className="wrap-anywhere" /> }}
          />
        </p>
      )}
      <Field
        id="forgot-email"
        label={t('auth:field.email')}
        type="email"
        name="email"
        autoComplete="email"
        required
        autoFocus={autoFocus}
        value={email}
        onChange={(event) => {
          onEmailChange(event.target.value);
        }}
        error={fieldError(problem, 'email', t('auth:field.email'))}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {sentTo === undefined ? t('auth:forgot.submit') : t('auth:forgot.again')}
      </button>
    </form>
  );
}
