import { useState, type SubmitEvent } from 'react';
import type { CreatedApiKey } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';

/** What each scope lets a key do in the reader: GET needs read, every change needs write. */
const SCOPES = [
  { scope: 'read', label: 'Read', hint: 'See your feeds, folders and articles.' },
  { scope: 'write', label: 'Write', hint: 'Also subscribe, unsubscribe, and mark articles read or starred.' },
] as const;

const LIFETIMES = [30, 90, 365] as const;
const DEFAULT_LIFETIME = 90;

interface CreateApiKeyFormProps {
  onCreated: (created: CreatedApiKey) => void;
  onSessionEnded: () => void;
}

export function CreateApiKeyForm({ onCreated, onSessionEnded }: CreateApiKeyFormProps) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<readonly string[]>(['read']);
  const [expiresInDays, setExpiresInDays] = useState<number>(DEFAULT_LIFETIME);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  async function submit() {
    setProblem(undefined);
    if (scopes.length === 0) {
      setProblem({
        code: 'no_scope',
        message: 'The key was not created. Choose what it may do.',
        fields: { scopes: 'Choose read, write or both' },
      });
      return;
    }
    setPending(true);
    try {
      onCreated(await auth.createApiKey({ name: name.trim(), scopes: [...scopes], expiresInDays }));
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      const described = describeError(error);
      setProblem({ ...described, message: `The key was not created. ${described.message}` });
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  const scopesError = fieldError(problem, 'scopes', 'Access');
  return (
    <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="api-key-create-title">
      <h3 id="api-key-create-title" className="account-subtitle">
        Create a key
      </h3>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="api-key-name"
        label="Name"
        type="text"
        name="name"
        autoComplete="off"
        required
        maxLength={100}
        hint="Say what uses it, e.g. “Backup script” or “NetNewsWire on my phone”."
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', 'Name')}
      />
      <fieldset className="fieldset" aria-describedby={scopesError === undefined ? undefined : 'api-key-scopes-error'}>
        <legend>Access</legend>
        {SCOPES.map(({ scope, label, hint }) => (
          <div key={scope} className="checkbox checkbox-described">
            <input
              id={`api-key-scope-${scope}`}
              type="checkbox"
              name="scopes"
              value={scope}
              checked={scopes.includes(scope)}
              aria-describedby={`api-key-scope-${scope}-hint`}
              onChange={(event) => {
                const { checked } = event.target;
                setScopes((previous) =>
                  checked ? [...previous.filter((s) => s !== scope), scope] : previous.filter((s) => s !== scope),
                );
              }}
            />
            <label htmlFor={`api-key-scope-${scope}`}>
              {label}
              <span id={`api-key-scope-${scope}-hint`} className="field-hint">
                {hint}
              </span>
            </label>
          </div>
        ))}
        {scopesError !== undefined && (
          <p id="api-key-scopes-error" className="field-error">
            {scopesError}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="api-key-expiry">Expires after</label>
        <select
          id="api-key-expiry"
          className="input select"
          name="expiresInDays"
          value={expiresInDays}
          onChange={(event) => {
            setExpiresInDays(Number(event.target.value));
          }}
        >
          {LIFETIMES.map((days) => (
            <option key={days} value={days}>
              {days === 365 ? '1 year' : `${String(days)} days`}
            </option>
          ))}
        </select>
        {fieldError(problem, 'expiresInDays', 'Expiry') !== undefined && (
          <p className="field-error">{fieldError(problem, 'expiresInDays', 'Expiry')}</p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          Create key
        </button>
      </div>
    </form>
  );
}
