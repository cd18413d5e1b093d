import { useState, type SubmitEvent } from 'react';
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
      setProblem({ ...described, message: `No passkey was added. ${described.message}` });
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  if (!passkeysSupported()) {
    return <p className="api-keys-empty">This browser can’t create passkeys.</p>;
  }

  return (
    <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="passkey-add-title">
      <h3 id="passkey-add-title" className="account-subtitle">
        New passkey
      </h3>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="passkey-name"
        label="Passkey name"
        type="text"
        name="name"
        autoComplete="off"
        maxLength={100}
        hint="Say where it lives, e.g. “MacBook Touch ID” or “YubiKey”. Optional."
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', 'Name')}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          Add a passkey
        </button>
      </div>
    </form>
  );
}
