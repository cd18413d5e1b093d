import { useRef, useState, type SubmitEvent } from 'react';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';

interface ChangePasswordFormProps {
  /** The account's email, for password managers. */
  email: string;
  /** The server signed out every other device: the session list has changed. */
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
  const [changed, setChanged] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);

  async function submit() {
    setProblem(undefined);
    setChanged(false);
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
      await auth.changePassword({ currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setConfirmation('');
      setChanged(true);
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
      {changed && (
        <p ref={doneRef} className="notice-success" role="status" tabIndex={-1}>
          Password changed. Every other device has been signed out; this one stays signed in.
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
      <Field
        id="password-new"
        label="New password"
        type="password"
        name="newPassword"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters. A few unrelated words make a strong one."
        value={newPassword}
        onChange={(event) => {
          setNewPassword(event.target.value);
        }}
        error={fieldError(problem, 'newPassword', 'New password')}
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
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          Change password
        </button>
      </div>
    </form>
  );
}
