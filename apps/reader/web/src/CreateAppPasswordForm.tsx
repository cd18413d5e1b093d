import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedAppPassword } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';

interface CreateAppPasswordFormProps {
  onCreated: (created: CreatedAppPassword) => void;
  onSessionEnded: () => void;
}

/**
 * A name, and nothing else to choose: an app password only ever opens the sync APIs. Making
 * one may ask for the account password first (the client's step-up prompt does that).
 */
export function CreateAppPasswordForm({ onCreated, onSessionEnded }: CreateAppPasswordFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  async function submit() {
    setProblem(undefined);
    setPending(true);
    try {
      onCreated(await auth.createAppPassword({ name: name.trim() }));
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      const described = describeError(error);
      setProblem({ ...described, message: t('account:appPasswords.notCreated', { reason: described.message }) });
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="app-password-create-title">
      <h3 id="app-password-create-title" className="account-subtitle">
        {t('account:appPasswords.createTitle')}
      </h3>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="app-password-name"
        label={t('account:name')}
        type="text"
        name="name"
        autoComplete="off"
        required
        maxLength={100}
        hint={t('account:appPasswords.nameHint')}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', t('account:name'))}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          {t('account:appPasswords.createSubmit')}
        </button>
      </div>
    </form>
  );
}
