import { useEffect, useRef, useState, type SubmitEvent } from 'react';
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
        Set up an authenticator app
      </h3>
      <ol className="totp-steps">
        <li>
          <p>Scan this QR code with an authenticator app, such as 1Password, Google Authenticator or Aegis.</p>
          <QrCode value={setup.uri} label="QR code for your authenticator app" />
        </li>
        <li>
          <p>Can’t scan it? Enter this key in the app instead:</p>
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
              {copied ? 'Copied' : 'Copy key'}
            </button>
          </div>
        </li>
        <li>
          <p>Enter the 6-digit code the app shows to turn it on.</p>
          {problem !== undefined && !wrongCode && (
            <FormAlert focusKey={problem}>
              <p>{problem.message}</p>
            </FormAlert>
          )}
          <Field
            ref={codeRef}
            id="totp-code"
            label="Code from your app"
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
            error={
              wrongCode ? 'That code is incorrect. Check the time on your phone, then try the next code.' : undefined
            }
          />
        </li>
      </ol>
      <div className="form-actions totp-actions">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
          Turn on
        </button>
      </div>
    </form>
  );
}
