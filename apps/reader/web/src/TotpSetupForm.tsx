import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpSetup } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, isSessionEnded, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { QrCode } from './QrCode';

interface TotpSetupFormProps {
  setup: TotpSetup;
  /** On: with the recovery codes when these are the user's first (shown once), else null. */
  onEnabled: (recoveryCodes: string[] | null) => void;
  onCancel: () => void;
  onSessionEnded: () => void;
}

/** "ABCDEFGHIJKL" as "ABCD EFGH IJKL": easier to read out and type in. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Scan (or type) the secret into an app, then prove it with the code the app shows. */
export function TotpSetupForm({ setup, onEnabled, onCancel, onSessionEnded }: TotpSetupFormProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [copied, setCopied] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  // The server's "is incorrect" for the code: said next to the field, not in an alert.
  const wrongCode = problem?.fields.code !== undefined;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function submit() {
    setPending(true);
    setProblem(undefined);
    try {
      onEnabled(await auth.totpEnable(code.replace(/\s/g, '')));
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      setProblem(describeError(error));
      setPending(false);
      codeRef.current?.focus();
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(setup.secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <form className="form totp-setup" onSubmit={onSubmit} aria-labelledby="totp-setup-title">
      <h3 ref={headingRef} id="totp-setup-title" className="account-subtitle" tabIndex={-1}>
        {t('account:totp.title')}
      </h3>
      <ol className="totp-steps">
        <li>
          <p>{t('account:totp.scan')}</p>
          <QrCode value={setup.uri} label={t('account:totp.qrLabel')} />
        </li>
        <li>
          <p>{t('account:totp.cantScan')}</p>
          <div className="totp-secret-row">
            <code className="totp-secret" data-testid="totp-secret">
              {grouped(setup.secret)}
            </code>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                void copy();
              }}
            >
              {copied ? t('account:copy.copied') : t('account:totp.copyKey')}
            </button>
          </div>
        </li>
        <li>
          <p>{t('account:totp.enterCode')}</p>
          {problem !== undefined && !wrongCode && (
            <FormAlert focusKey={problem}>
              <p>{problem.message}</p>
            </FormAlert>
          )}
          <Field
            ref={codeRef}
            id="totp-code"
            label={t('account:totp.codeLabel')}
            type="text"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            className="input-code"
            spellCheck={false}
            required
            value={code}
            onChange={(event) => {
              setCode(event.target.value);
            }}
            error={wrongCode ? t('account:totp.wrongCode') : undefined}
          />
        </li>
      </ol>
      <div className="form-actions totp-actions">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('account:cancel')}
        </button>
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          {t('account:totp.turnOn')}
        </button>
      </div>
    </form>
  );
}
