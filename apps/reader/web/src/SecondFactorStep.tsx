import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthClientError, type SecondFactorRequired, type SignedIn } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { describeWait } from './retryWait';
import { passkeyAssertion, passkeysSupported } from './webauthn';

type CodeMethod = 'totp' | 'recovery_code';

interface SecondFactorStepProps {
  /** The pending sign-in /login (or a password reset) answered with; its token lives in this state only. */
  challenge: SecondFactorRequired;
  onSignedIn: (signedIn: SignedIn) => void;
  /** Back to the password: the user cancelled (no message), or the pending sign-in ended (why). */
  onRestart: (message?: string) => void;
}

const INTRO: Record<CodeMethod | 'passkey', string> = {
  totp: 'auth:secondFactor.intro.totp',
  recovery_code: 'auth:secondFactor.intro.recoveryCode',
  passkey: 'auth:secondFactor.intro.passkey',
};

/**
 * The second step of a sign-in: a code from the authenticator app, a recovery code, or a
 * passkey. The password was right; nobody is signed in until this succeeds.
 */
export function SecondFactorStep({ challenge, onSignedIn, onRestart }: SecondFactorStepProps) {
  const { t } = useTranslation();
  const hasTotp = challenge.methods.includes('totp');
  const hasPasskey = challenge.methods.includes('passkey') && passkeysSupported();
  // A passkey-only account starts on the passkey; a code field is one click away.
  const [method, setMethod] = useState<CodeMethod | undefined>(
    hasTotp ? 'totp' : hasPasskey ? undefined : 'recovery_code',
  );
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<'code' | 'passkey' | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function switchTo(next: CodeMethod) {
    setMethod(next);
    setCode('');
    setProblem(undefined);
    requestAnimationFrame(() => codeRef.current?.focus());
  }

  /** The server's verdict: signed in, a retry here, or back to the password. */
  async function attempt(kind: 'code' | 'passkey', answer: () => Promise<SignedIn>) {
    setPending(kind);
    setProblem(undefined);
    try {
      onSignedIn(await answer());
    } catch (error) {
      if (error instanceof AuthClientError && error.code === 'sign_in_expired') {
        onRestart(describeError(error).message);
        return;
      }
      setProblem(describe(error));
      setPending(undefined);
      if (kind === 'code') {
        setCode('');
        codeRef.current?.focus();
      }
    }
  }

  function describe(error: unknown): Problem {
    const problem = describeError(error);
    if (!(error instanceof AuthClientError) || error.code !== 'rate_limited') return problem;
    // Account-wide, whatever the pending sign-in; a passkey is never held back by it.
    const wait = error.retryAfterSeconds;
    const message =
      wait === undefined
        ? hasPasskey
          ? t('auth:secondFactor.rateLimited.laterOrPasskey')
          : t('auth:secondFactor.rateLimited.later')
        : hasPasskey
          ? t('auth:secondFactor.rateLimited.inOrPasskey', { wait: describeWait(wait) })
          : t('auth:secondFactor.rateLimited.in', { wait: describeWait(wait) });
    return { ...problem, message };
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending !== undefined || method === undefined) return;
    const answer = method === 'totp' ? code.replace(/\s/g, '') : code.trim();
    void attempt('code', () => auth.completeSecondFactor({ mfaToken: challenge.mfaToken, method, code: answer }));
  }

  function verifyWithPasskey() {
    void attempt('passkey', async () => {
      const options = await auth.secondFactorOptions(challenge.mfaToken);
      const response = await passkeyAssertion(options);
      return auth.completeSecondFactor({ mfaToken: challenge.mfaToken, method: 'passkey', response });
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="second-factor-heading">
      <div>
        <h2 id="second-factor-heading" ref={headingRef} tabIndex={-1} className="form-title form-title-focus">
          {t('auth:secondFactor.title')}
        </h2>
        <p className="form-intro">{t(INTRO[method ?? 'passkey'])}</p>
      </div>
      {problem !== undefined && (
        <FormAlert focusKey={problem}>
          <p>{problem.message}</p>
        </FormAlert>
      )}
      {method === 'totp' && (
        <Field
          ref={codeRef}
          key="totp"
          id="second-factor-code"
          label={t('auth:secondFactor.code')}
          type="text"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          className="input-code"
          spellCheck={false}
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
          }}
          error={fieldError(problem, 'code', t('auth:field.code'))}
        />
      )}
      {method === 'recovery_code' && (
        <Field
          ref={codeRef}
          key="recovery"
          id="second-factor-recovery"
          label={t('auth:secondFactor.recoveryCode')}
          type="text"
          name="recoveryCode"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
          }}
          error={fieldError(problem, 'code', t('auth:secondFactor.recoveryCode'))}
        />
      )}
      {method !== undefined && (
        <button
          type="submit"
          className="button button-primary"
          disabled={pending !== undefined}
          aria-busy={pending === 'code'}
        >
          {t('auth:secondFactor.verify')}
        </button>
      )}
      {hasPasskey && (
        <button
          type="button"
          className={method === undefined ? 'button button-primary' : 'button button-secondary'}
          disabled={pending !== undefined}
          aria-busy={pending === 'passkey'}
          onClick={verifyWithPasskey}
        >
          {t('auth:secondFactor.usePasskey')}
        </button>
      )}
      <div className="second-factor-links">
        {method !== 'recovery_code' ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              switchTo('recovery_code');
            }}
          >
            {t('auth:secondFactor.useRecoveryCode')}
          </button>
        ) : (
          hasTotp && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                switchTo('totp');
              }}
            >
              {t('auth:secondFactor.useTotp')}
            </button>
          )
        )}
        <button
          type="button"
          className="link-button link-button-quiet"
          onClick={() => {
            onRestart();
          }}
        >
          {t('auth:secondFactor.cancel')}
        </button>
      </div>
    </form>
  );
}
