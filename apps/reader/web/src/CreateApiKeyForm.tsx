import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKey } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';

/** What each scope lets a key do in the reader: GET needs read, every change needs write. */
const SCOPES = [
  { scope: 'read', label: 'account:apiKeys.scope.read', hint: 'account:apiKeys.scope.readHint' },
  { scope: 'write', label: 'account:apiKeys.scope.write', hint: 'account:apiKeys.scope.writeHint' },
] as const;

/** Days a new key lasts, and how each choice reads. */
const LIFETIMES = [
  { days: 30, label: 'account:apiKeys.lifetime.30' },
  { days: 90, label: 'account:apiKeys.lifetime.90' },
  { days: 365, label: 'account:apiKeys.lifetime.365' },
] as const;
const DEFAULT_LIFETIME = 90;

interface CreateApiKeyFormProps {
  onCreated: (created: CreatedApiKey) => void;
  onSessionEnded: () => void;
}

export function CreateApiKeyForm({ onCreated, onSessionEnded }: CreateApiKeyFormProps) {
  const { t } = useTranslation();
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
        message: t('account:apiKeys.noScope'),
        fields: { scopes: t('account:apiKeys.chooseScope') },
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
      setProblem({ ...described, message: t('account:apiKeys.notCreated', { reason: described.message }) });
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  const scopesError = fieldError(problem, 'scopes', t('account:apiKeys.access'));
  const expiryError = fieldError(problem, 'expiresInDays', t('account:apiKeys.expiry'));
  return (
    <form className="form account-subform" onSubmit={onSubmit} aria-labelledby="api-key-create-title">
      <h3 id="api-key-create-title" className="account-subtitle">
        {t('account:apiKeys.createTitle')}
      </h3>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      <Field
        id="api-key-name"
        label={t('account:name')}
        type="text"
        name="name"
        autoComplete="off"
        required
        maxLength={100}
        hint={t('account:apiKeys.nameHint')}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
        }}
        error={fieldError(problem, 'name', t('account:name'))}
      />
      <fieldset className="fieldset" aria-describedby={scopesError === undefined ? undefined : 'api-key-scopes-error'}>
        <legend>{t('account:apiKeys.access')}</legend>
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
              {t(label)}
              <span id={`api-key-scope-${scope}-hint`} className="field-hint">
                {t(hint)}
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
        <label htmlFor="api-key-expiry">{t('account:apiKeys.expiresAfter')}</label>
        <select
          id="api-key-expiry"
          className="input select"
          name="expiresInDays"
          value={expiresInDays}
          onChange={(event) => {
            setExpiresInDays(Number(event.target.value));
          }}
        >
          {LIFETIMES.map(({ days, label }) => (
            <option key={days} value={days}>
              {t(label)}
            </option>
          ))}
        </select>
        {expiryError !== undefined && <p className="field-error">{expiryError}</p>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          {t('account:apiKeys.createSubmit')}
        </button>
      </div>
    </form>
  );
}
