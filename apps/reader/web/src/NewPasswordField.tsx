import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sentence } from './errors';
import { usePasswordCheck } from './usePasswordCheck';

interface NewPasswordFieldProps {
  id: string;
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  /** The server's message after a submit; replaced by fresh advice once the user edits. */
  error?: string | undefined;
  /** Changes with each submit's answer (pass the problem): a repeated message is a new verdict. */
  errorKey?: unknown;
  hint?: string;
  /** The account's email and name, which a password must not be made of. */
  email?: string | undefined;
  userName?: string | undefined;
  autoFocus?: boolean;
}

/** A new-password input that says, as the user types, why the server would refuse it. */
export function NewPasswordField(props: NewPasswordFieldProps) {
  const { t } = useTranslation();
  const { id, label, name, value, error, errorKey = error, email, userName, autoFocus } = props;
  const hint = props.hint ?? t('account:password.strongHint');
  const check = usePasswordCheck(value, { email, name: userName });
  const advice = check === undefined ? undefined : sentence(label, check);
  // The server's verdict stands until the password it judged is edited.
  const [judged, setJudged] = useState({ key: errorKey, value });
  if (judged.key !== errorKey) setJudged({ key: errorKey, value });
  const shown = error !== undefined && judged.value === value ? error : advice;

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="password"
        name={name}
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          props.onChange(event.target.value);
        }}
        aria-invalid={shown === undefined ? undefined : true}
        aria-describedby={shown === undefined ? hintId : `${hintId} ${errorId}`}
      />
      <p id={hintId} className="field-hint">
        {hint}
      </p>
      {shown !== undefined && (
        <p id={errorId} className="field-error">
          {shown}
        </p>
      )}
      {/* Always present, so screen readers announce advice that appears while typing. */}
      <p className="visually-hidden" aria-live="polite">
        {advice ?? ''}
      </p>
    </div>
  );
}
