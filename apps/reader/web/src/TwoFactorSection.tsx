import { useCallback, useState } from 'react';
import type { SecondFactors, TotpSetup } from '@gatehouse/client';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { describeError, isSessionEnded } from './errors';
import { calendarDate } from './format';
import { RecoveryCodes } from './RecoveryCodes';
import { StepUpFactorToggle } from './StepUpFactorToggle';
import { TotpSetupForm } from './TotpSetupForm';
import { twoFactorOn, type SecondFactorsHandle } from './useSecondFactors';

interface TwoFactorSectionProps {
  email: string;
  factors: SecondFactorsHandle;
  onSessionEnded: () => void;
}

type Confirming = 'turn-off' | 'new-codes' | undefined;

/** Two-factor authentication: on or off, the authenticator app, recovery codes, and step-up with a factor. */
export function TwoFactorSection({ email, factors, onSessionEnded }: TwoFactorSectionProps) {
  const { state } = factors;
  return (
    <section className="account-section" aria-labelledby="two-factor-title">
      <div className="account-section-head">
        <h2 id="two-factor-title" className="account-section-title">
          Two-factor authentication
        </h2>
        <p className="account-section-hint">
          After your password, signing in asks for a code from an app on your phone, or one of your passkeys.
        </p>
      </div>
      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>Could not load your two-factor settings. {state.message}</p>
          <button type="button" className="button button-secondary button-small" onClick={factors.retry}>
            Try again
          </button>
        </div>
      )}
      {state.kind === 'ready' && (
        <TwoFactorSettings email={email} current={state.factors} factors={factors} onSessionEnded={onSessionEnded} />
      )}
    </section>
  );
}

interface TwoFactorSettingsProps extends TwoFactorSectionProps {
  current: SecondFactors;
}

function TwoFactorSettings({ email, current, factors, onSessionEnded }: TwoFactorSettingsProps) {
  const [setup, setSetup] = useState<TotpSetup | undefined>();
  const [starting, setStarting] = useState(false);
  const [codes, setCodes] = useState<string[] | undefined>();
  const [confirming, setConfirming] = useState<Confirming>();
  const [message, setMessage] = useState<string | undefined>();
  const on = twoFactorOn(current);
  const passkeys = current.passkeys.length;

  const failed = useCallback(
    (error: unknown) => {
      if (isSessionEnded(error)) onSessionEnded();
      return describeError(error).message;
    },
    [onSessionEnded],
  );

  async function startSetup() {
    setStarting(true);
    setMessage(undefined);
    try {
      setSetup(await auth.totpSetup());
    } catch (error) {
      setMessage(`The setup did not start. ${failed(error)}`);
    } finally {
      setStarting(false);
    }
  }

  // Removing the app turns two-factor off only when there is no passkey: say which.
  const removeLabel = passkeys === 0 ? 'Turn off two-factor' : 'Remove authenticator app';

  return (
    <>
      <p className="factor-status">
        {on ? <span className="badge">On</span> : <span className="badge badge-quiet">Off</span>}
        <span>{statusText(current)}</span>
      </p>
      {message !== undefined && (
        <div role="alert" className="alert">
          <p>{message}</p>
        </div>
      )}

      {codes !== undefined ? (
        <RecoveryCodes
          codes={codes}
          email={email}
          onDone={() => {
            setCodes(undefined);
          }}
        />
      ) : setup !== undefined ? (
        <TotpSetupForm
          setup={setup}
          onEnabled={(recoveryCodes) => {
            setSetup(undefined);
            if (recoveryCodes !== null) setCodes(recoveryCodes);
            factors.reload();
          }}
          onCancel={() => {
            setSetup(undefined);
          }}
          onSessionEnded={onSessionEnded}
        />
      ) : (
        <ul className="factor-list" aria-label="Two-factor methods">
          <li className="factor">
            <div className="factor-text">
              <p className="factor-name">Authenticator app</p>
              <p className="factor-meta">
                {current.totp.enabled
                  ? current.totp.enabledAt === null
                    ? 'On'
                    : `On since ${calendarDate(current.totp.enabledAt)}`
                  : 'Codes from an app on your phone, such as 1Password, Google Authenticator or Aegis.'}
              </p>
            </div>
            {current.totp.enabled ? (
              <button
                type="button"
                className="button button-danger-quiet button-small factor-action"
                onClick={() => {
                  setConfirming('turn-off');
                }}
              >
                {removeLabel}
              </button>
            ) : (
              <button
                type="button"
                className="button button-secondary button-small factor-action"
                disabled={starting}
                aria-busy={starting}
                onClick={() => {
                  void startSetup();
                }}
              >
                Set up an authenticator app
              </button>
            )}
          </li>
          {on && (
            <li className="factor">
              <div className="factor-text">
                <p className="factor-name">
                  Recovery codes
                  {current.recoveryCodes.remaining <= 3 && (
                    <span className="badge badge-warning">
                      {current.recoveryCodes.remaining === 0 ? 'None left' : 'Running low'}
                    </span>
                  )}
                </p>
                <p className="factor-meta" data-testid="recovery-codes-remaining">
                  {`${String(current.recoveryCodes.remaining)} left. Each signs you in once if you lose your phone or passkey.`}
                </p>
              </div>
              <button
                type="button"
                className="button button-secondary button-small factor-action"
                onClick={() => {
                  setConfirming('new-codes');
                }}
              >
                New recovery codes
              </button>
            </li>
          )}
        </ul>
      )}

      <StepUpFactorToggle current={current} factors={factors} failed={failed} />

      {confirming === 'turn-off' && (
        <ConfirmDialog
          title={passkeys === 0 ? 'Turn off two-factor authentication?' : 'Remove the authenticator app?'}
          confirmLabel={passkeys === 0 ? 'Turn off' : 'Remove'}
          danger
          failed={failed}
          onClose={() => {
            setConfirming(undefined);
          }}
          onConfirm={async () => {
            await auth.totpDisable();
            setConfirming(undefined);
            factors.reload();
          }}
        >
          <p>
            {passkeys === 0
              ? 'Signing in will need only your password again.'
              : 'Codes from the app will stop working. Your passkeys still protect your account.'}
          </p>
        </ConfirmDialog>
      )}
      {confirming === 'new-codes' && (
        <ConfirmDialog
          title="Make new recovery codes?"
          confirmLabel="Make new codes"
          failed={failed}
          onClose={() => {
            setConfirming(undefined);
          }}
          onConfirm={async () => {
            const fresh = await auth.regenerateRecoveryCodes();
            setConfirming(undefined);
            setCodes(fresh);
            factors.update((f) => ({ ...f, recoveryCodes: { remaining: fresh.length } }));
          }}
        >
          <p>Your {String(current.recoveryCodes.remaining)} remaining codes stop working, and you get 10 new ones.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function statusText(factors: SecondFactors): string {
  const passkeys = factors.passkeys.length;
  const parts = [
    ...(factors.totp.enabled ? ['an authenticator app'] : []),
    ...(passkeys === 0 ? [] : [passkeys === 1 ? 'a passkey' : `${String(passkeys)} passkeys`]),
  ];
  if (parts.length === 0) return 'Only your password protects your account.';
  return `After your password, signing in asks for ${parts.join(' or ')}.`;
}
