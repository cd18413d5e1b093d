import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from './auth';
import { Dialog } from './Dialog';
import { describeError } from './errors';
import { Field } from './Field';
import { PasskeyError } from './passkeyError';
import { answerStepUp, useStepUpRequest, type StepUpRequest } from './stepUpBridge';
import { passkeyAssertion, passkeysSupported } from './webauthn';
import './factors.css';

type CodeMethod = 'totp' | 'recovery_code';

/**
 * "Confirm it's you": asked by the auth client when a sensitive action (API keys, email,
 * deleting the account, signing out everywhere, second factors) needs a recent password,
 * and sometimes a second factor too. Mounted once while someone is signed in.
 */
export function StepUpPrompt({ email }: { email: string }) {
  const request = useStepUpRequest();
  if (request === undefined) return null;
  return <StepUpDialog request={request} email={email} />;
}

const INTRO: Record<CodeMethod | 'passkey', string> = {
  totp: 'account:stepUp.intro.totp',
  recovery_code: 'account:stepUp.intro.recoveryCode',
  passkey: 'account:stepUp.intro.passkey',
};

function StepUpDialog({ request, email }: { request: StepUpRequest; email: string }) {
  const { t } = useTranslation();
  const { attempt, error, factorRequired, methods } = request.attempt;
  const hasTotp = methods.includes('totp');
  const hasPasskey = methods.includes('passkey') && passkeysSupported();
  // With a factor due: the app's code if there is one, else the passkey; a recovery code is one click away.
  const [codeMethod, setCodeMethod] = useState<CodeMethod | undefined>(
    factorRequired ? (hasTotp ? 'totp' : hasPasskey ? undefined : 'recovery_code') : undefined,
  );
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [passkeyPending, setPasskeyPending] = useState(false);
  const [passkeyProblem, setPasskeyProblem] = useState<string | undefined>();
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const asksPassword = !factorRequired || codeMethod !== undefined;
  const last = attempt === request.attempt.maxAttempts;

  // Each new try starts with the wrong part empty, and the cursor in it.
  useEffect(() => {
    if (attempt === 1) return;
    if (error?.code === 'invalid_second_factor') {
      setCode('');
      codeRef.current?.focus();
    } else {
      setPassword('');
      passwordRef.current?.focus();
    }
  }, [attempt, error]);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (request.verifying || passkeyPending || password === '') return;
    if (!factorRequired) answerStepUp(password);
    else if (codeMethod !== undefined && code.trim() !== '') {
      answerStepUp({
        password,
        method: codeMethod,
        code: codeMethod === 'totp' ? code.replace(/\s/g, '') : code.trim(),
      });
    }
  }

  async function confirmWithPasskey() {
    setPasskeyPending(true);
    setPasskeyProblem(undefined);
    try {
      const response = await passkeyAssertion(await auth.reauthenticationOptions());
      answerStepUp({ method: 'passkey', response });
    } catch (failure) {
      if (!(failure instanceof PasskeyError && failure.kind === 'aborted')) {
        setPasskeyProblem(describeError(failure).message);
      }
    } finally {
      setPasskeyPending(false);
    }
  }

  function switchTo(next: CodeMethod) {
    setCodeMethod(next);
    setCode('');
    requestAnimationFrame(() => (password === '' ? passwordRef : codeRef).current?.focus());
  }

  const passwordError =
    error?.code === 'invalid_credentials'
      ? last
        ? t('account:stepUp.wrongPasswordLast')
        : t('account:stepUp.wrongPassword')
      : undefined;
  const codeError =
    error?.code === 'invalid_second_factor'
      ? last
        ? t('account:stepUp.wrongCodeLast')
        : t('account:stepUp.wrongCode')
      : undefined;
  // Anything else (a rate limit, a passkey the server refused) is said above the fields.
  const otherError =
    passkeyProblem ??
    (error === undefined || passwordError !== undefined || codeError !== undefined
      ? undefined
      : describeError(error).message);
  const busy = request.verifying || passkeyPending;

  return (
    <Dialog
      title={t('account:stepUp.title')}
      onClose={() => {
        answerStepUp(null);
      }}
    >
      <form className="form" onSubmit={onSubmit} aria-label={t('account:stepUp.title')}>
        <p>{factorRequired ? t(INTRO[codeMethod ?? 'passkey']) : t('account:stepUp.intro.password')}</p>
        {otherError !== undefined && (
          <div role="alert" className="alert">
            <p>{otherError}</p>
          </div>
        )}
        {/* Lets password managers offer this account's password. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value={email} />
        {asksPassword && (
          <Field
            ref={passwordRef}
            id="step-up-password"
            label={t('account:stepUp.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            data-autofocus
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
            error={passwordError}
          />
        )}
        {factorRequired && codeMethod !== undefined && (
          <Field
            ref={codeRef}
            key={codeMethod}
            id="step-up-code"
            label={codeMethod === 'totp' ? t('account:stepUp.code') : t('account:stepUp.recoveryCode')}
            type="text"
            name="code"
            inputMode={codeMethod === 'totp' ? 'numeric' : 'text'}
            autoComplete={codeMethod === 'totp' ? 'one-time-code' : 'off'}
            className={codeMethod === 'totp' ? 'input-code' : undefined}
            spellCheck={false}
            required
            value={code}
            onChange={(event) => {
              setCode(event.target.value);
            }}
            error={codeError}
          />
        )}
        {(hasPasskey || factorRequired) && (
          <div className="step-up-alternatives">
            {hasPasskey && (
              <button
                type="button"
                className={asksPassword ? 'button button-secondary' : 'button button-primary'}
                disabled={busy}
                aria-busy={passkeyPending}
                data-autofocus={asksPassword ? undefined : true}
                onClick={() => {
                  void confirmWithPasskey();
                }}
              >
                {t('account:stepUp.usePasskey')}
              </button>
            )}
            {factorRequired && codeMethod !== 'recovery_code' && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  switchTo('recovery_code');
                }}
              >
                {t('account:stepUp.useRecoveryCode')}
              </button>
            )}
            {factorRequired && codeMethod === 'recovery_code' && hasTotp && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  switchTo('totp');
                }}
              >
                {t('account:stepUp.useTotp')}
              </button>
            )}
          </div>
        )}
        <div className="dialog-actions account-dialog-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              answerStepUp(null);
            }}
          >
            {t('account:cancel')}
          </button>
          {asksPassword && (
            <button
              type="submit"
              className="button button-primary button-inline"
              disabled={busy}
              aria-busy={request.verifying}
            >
              {t('account:stepUp.confirm')}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
