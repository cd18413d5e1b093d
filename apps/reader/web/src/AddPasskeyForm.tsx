import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddedPasskey } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { passkeyRegistration, passkeysSupported } from './webauthn';

interface AddPasskeyFormProps {
  onAdded: (added: AddedPasskey) => void;
  onSessionEnded: () => void;
}

/** Names the passkey, has the browser create it, and registers it. */
export function AddPasskeyForm({ onAdded, onSessionEnded }: AddPasskeyFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  async function submit() {
    setPending(true);
    setProblem(undefined);
    try {
      const options = await auth.passkeyRegistrationOptions();
      const response = await passkeyRegistration(options);
      const trimmed = name.trim();
      onAdded(await auth.addPasskey(trimmed === '' ? { response } : { response, name: trimmed }));
      setName('');
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      const described = describeError(error);
      setProblem({ ...described, message: t('account:passkeys.notAdded', { reason: described.message }) });
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  if (!passkeysSupported()) {
    return <p className="api-keys-empty">{t('account:passkeys.unsupported')}</p>;
  }

  return (
    <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="passkey-add-title">
      <h3 id="passkey-add-title" className="account-subtitle">
        {t('account:passkeys.newTitle')}
      </h3>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="passkey-name"
        label={t('account:passkeys.nameLabel')}
        type="text"
        name="name"
        autoComplete="off"
        maxLength={100}
        hint={t('account:passkeys.nameHint')}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', t('account:name'))}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          {t('account:passkeys.add')}
        </button>
      </div>
    </form>
  );
}
