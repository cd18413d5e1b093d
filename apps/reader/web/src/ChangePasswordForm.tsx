import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { NewPasswordField } from './NewPasswordField';

interface ChangePasswordFormProps {
  /** The account's email, for password managers. */
  email: string;
  /** The server signed out every other device (and revoked the API keys unless kept): the lists have changed. */
  onChanged: () => void;
  onSessionEnded: () => void;
}

export function ChangePasswordForm({ email, onChanged, onSessionEnded }: ChangePasswordFormProps) {
  const { t } = useTranslation();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [keepApiKeys, setKeepApiKeys] = useState(false);
  const [changed, setChanged] = useState<{ keptApiKeys: boolean } | undefined>();
  const doneRef = useRef<HTMLParagraphElement>(null);

  async function submit() {
    setProblem(undefined);
    setChanged(undefined);
    if (newPassword !== confirmation) {
      setProblem({
        code: 'mismatch',
        message: t('account:password.mismatch'),
        fields: { confirmation: t('account:password.typeTwice') },
      });
      return;
    }
    setPending(true);
    try {
      await auth.changePassword({ currentPassword, newPassword, keepApiKeys });
      setCurrentPassword('');
      setNewPassword('');
      setConfirmation('');
      setChanged({ keptApiKeys: keepApiKeys });
      setKeepApiKeys(false);
      onChanged();
      requestAnimationFrame(() => doneRef.current?.focus());
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      const described = describeError(error);
      setProblem(
        described.code === 'invalid_credentials'
          ? { ...described, message: t('account:password.currentIncorrect') }
          : { ...described, message: t('account:password.notChanged', { reason: described.message }) },
      );
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form account-form" onSubmit={onSubmit} aria-labelledby="password-title">
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      {changed !== undefined && (
        <p ref={doneRef} className="notice-success" role="status" tabIndex={-1}>
          {changed.keptApiKeys ? t('account:password.changedKept') : t('account:password.changedRevoked')}
        </p>
      )}
      {/* Lets password managers match the new password to the account. */}
      <input type="text" name="username" autoComplete="username" hidden readOnly value={email} />
      <Field
        id="password-current"
        label={t('account:password.current')}
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(event) => {
          setCurrentPassword(event.target.value);
        }}
        error={fieldError(problem, 'currentPassword', t('account:password.current'))}
      />
      <NewPasswordField
        id="password-new"
        label={t('account:password.new')}
        name="newPassword"
        value={newPassword}
        onChange={setNewPassword}
        error={fieldError(problem, 'newPassword', t('account:password.new'))}
        errorKey={problem}
        email={email}
      />
      <Field
        id="password-confirmation"
        label={t('account:password.again')}
        type="password"
        name="confirmation"
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => {
          setConfirmation(event.target.value);
        }}
        error={fieldError(problem, 'confirmation', t('account:password.new'))}
      />
      <div className="checkbox-field">
        <div className="checkbox">
          <input
            id="password-keep-keys"
            type="checkbox"
            name="keepApiKeys"
            checked={keepApiKeys}
            aria-describedby="password-keep-keys-hint"
            onChange={(event) => {
              setKeepApiKeys(event.target.checked);
            }}
          />
          <label htmlFor="password-keep-keys">{t('account:keepApiKeys')}</label>
        </div>
        <p id="password-keep-keys-hint" className="field-hint">
          {t('account:password.keepApiKeysHint')}
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          {t('account:password.submit')}
        </button>
      </div>
    </form>
  );
}
