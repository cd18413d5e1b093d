import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { ResendVerificationButton } from './ResendVerificationButton';
import { Sentence } from './Sentence';

interface EmailSectionProps {
  user: User;
  /** The server knows better (verified in another tab): fetch the user again. */
  onUserStale: () => void;
  onSessionEnded: () => void;
}

/** The address, whether it is verified, and changing it (which takes the link sent to the new one). */
export function EmailSection({ user, onUserStale, onSessionEnded }: EmailSectionProps) {
  const { t } = useTranslation();
  const [newEmail, setNewEmail] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [sentTo, setSentTo] = useState<string | undefined>();
  const sentRef = useRef<HTMLParagraphElement>(null);

  async function submit() {
    const address = newEmail.trim();
    setProblem(undefined);
    setSentTo(undefined);
    if (address.toLowerCase() === user.email.toLowerCase()) {
      setProblem({ code: 'same', message: t('account:email.same'), fields: {} });
      return;
    }
    setPending(true);
    try {
      await auth.changeEmail(address);
      setNewEmail('');
      setSentTo(address);
      requestAnimationFrame(() => sentRef.current?.focus());
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
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
    <section className="account-section" aria-labelledby="email-title">
      <div className="account-section-head">
        <h2 id="email-title" className="account-section-title">
          {t('account:email.title')}
        </h2>
        <p className="account-section-hint">{t('account:email.hint')}</p>
      </div>
      <div className="email-current">
        <p className="email-address">
          <span className="wrap-anywhere">{user.email}</span>
          {user.emailVerified ? (
            <span className="badge">{t('account:email.verified')}</span>
          ) : (
            <span className="badge badge-warning">{t('account:email.notVerified')}</span>
          )}
        </p>
        {!user.emailVerified && (
          <div className="email-unverified">
            <p className="account-section-hint">{t('account:email.openLink')}</p>
            <ResendVerificationButton email={user.email} onAlreadyVerified={onUserStale} />
          </div>
        )}
      </div>
      <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="email-change-title">
        <h3 id="email-change-title" className="account-subtitle">
          {t('account:email.change')}
        </h3>
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        {sentTo !== undefined && (
          <p ref={sentRef} className="notice-success" role="status" tabIndex={-1}>
            <Sentence
              i18nKey="account:email.sent"
              values={{ newEmail: sentTo, email: user.email }}
              components={{ strong: <strong className="wrap-anywhere" /> }}
            />
          </p>
        )}
        <Field
          id="email-new"
          label={t('account:email.newLabel')}
          type="email"
          name="newEmail"
          autoComplete="email"
          required
          value={newEmail}
          onChange={(event) => {
            setNewEmail(event.target.value);
          }}
          error={fieldError(problem, 'newEmail', t('account:email.title'))}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
            {t('account:email.change')}
          </button>
        </div>
      </form>
    </section>
  );
}
