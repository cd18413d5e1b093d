import { useRef, useState, type SubmitEvent } from 'react';
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

const NOT_CHANGED = 'Your password was not changed.';

export function ChangePasswordForm({ email, onChanged, onSessionEnded }: ChangePasswordFormProps) {
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
        message: `${NOT_CHANGED} The two new passwords are not the same.`,
        fields: { confirmation: 'Type the same new password twice' },
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
          ? { ...described, message: `${NOT_CHANGED} The current password is incorrect.` }
          : { ...described, message: `${NOT_CHANGED} ${described.message}` },
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
          Password changed. Every other device has been signed out; this one stays signed in.
          {changed.keptApiKeys ? ' Your API keys still work.' : ' Your API keys were revoked.'}
        </p>
      )}
      {/* Lets password managers match the new password to the account. */}
      <input type="text" name="username" autoComplete="username" hidden readOnly value={email} />
      <Field
        id="password-current"
        label="Current password"
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(event) => {
          setCurrentPassword(event.target.value);
        }}
        error={fieldError(problem, 'currentPassword', 'Current password')}
      />
      <NewPasswordField
        id="password-new"
        label="New password"
        name="newPassword"
        value={newPassword}
        onChange={setNewPassword}
        error={fieldError(problem, 'newPassword', 'New password')}
        errorKey={problem}
        email={email}
      />
      <Field
        id="password-confirmation"
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
          <label htmlFor="password-keep-keys">Keep my API keys working</label>
        </div>
        <p id="password-keep-keys-hint" className="field-hint">
          Otherwise every API key is revoked with the old password, in case someone else made one. App passwords always
          are.
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          Change password
        </button>
      </div>
    </form>
  );
}
