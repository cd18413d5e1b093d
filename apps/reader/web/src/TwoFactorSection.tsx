import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecondFactors, TotpSetup } from '@gatehouse/client';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { describeError, isSessionEnded } from './errors';
import { calendarDate } from './format';
import { i18n } from './i18n';
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
  const { t } = useTranslation();
  const { state } = factors;
  return (
    <section className="account-section" aria-labelledby="two-factor-title">
      <div className="account-section-head">
        <h2 id="two-factor-title" className="account-section-title">
          {t('account:twoFactor.title')}
        </h2>
        <p className="account-section-hint">{t('account:twoFactor.hint')}</p>
      </div>
      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('account:loading')}
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>{t('account:listFailed', { what: t('account:twoFactor.what'), reason: state.message })}</p>
          <button type="button" className="button button-secondary button-small" onClick={factors.retry}>
            {t('account:tryAgain')}
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
  const { t } = useTranslation();
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
      setMessage(t('account:twoFactor.setupFailed', { reason: failed(error) }));
    } finally {
      setStarting(false);
    }
  }

  // Removing the app turns two-factor off only when there is no passkey: say which.
  const removeLabel = passkeys === 0 ? t('account:twoFactor.turnOff') : t('account:twoFactor.removeTotp');

  return (
    <>
      <p className="factor-status">
        {on ? (
          <span className="badge">{t('account:twoFactor.on')}</span>
        ) : (
          <span className="badge badge-quiet">{t('account:twoFactor.off')}</span>
        )}
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
        <ul className="factor-list" aria-label={t('account:twoFactor.methods')}>
          <li className="factor">
            <div className="factor-text">
              <p className="factor-name">{t('account:twoFactor.totp')}</p>
              <p className="factor-meta">
                {current.totp.enabled
                  ? current.totp.enabledAt === null
                    ? t('account:twoFactor.on')
                    : t('account:twoFactor.onSince', { date: calendarDate(current.totp.enabledAt) })
                  : t('account:twoFactor.totpHint')}
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
                {t('account:twoFactor.setUp')}
              </button>
            )}
          </li>
          {on && (
            <li className="factor">
              <div className="factor-text">
                <p className="factor-name">
                  {t('account:recovery.title')}
                  {current.recoveryCodes.remaining <= 3 && (
                    <span className="badge badge-warning">
                      {current.recoveryCodes.remaining === 0
                        ? t('account:recovery.noneLeft')
                        : t('account:recovery.low')}
                    </span>
                  )}
                </p>
                <p className="factor-meta" data-testid="recovery-codes-remaining">
                  {t('account:recovery.remaining', { count: current.recoveryCodes.remaining })}
                </p>
              </div>
              <button
                type="button"
                className="button button-secondary button-small factor-action"
                onClick={() => {
                  setConfirming('new-codes');
                }}
              >
                {t('account:recovery.new')}
              </button>
            </li>
          )}
        </ul>
      )}

      <StepUpFactorToggle current={current} factors={factors} failed={failed} />

      {confirming === 'turn-off' && (
        <ConfirmDialog
          title={passkeys === 0 ? t('account:twoFactor.turnOffTitle') : t('account:twoFactor.removeTotpTitle')}
          confirmLabel={passkeys === 0 ? t('account:twoFactor.turnOffConfirm') : t('account:twoFactor.removeConfirm')}
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
          <p>{passkeys === 0 ? t('account:twoFactor.turnOffText') : t('account:twoFactor.removeTotpText')}</p>
        </ConfirmDialog>
      )}
      {confirming === 'new-codes' && (
        <ConfirmDialog
          title={t('account:recovery.newTitle')}
          confirmLabel={t('account:recovery.newConfirm')}
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
          <p>{t('account:recovery.newText', { count: current.recoveryCodes.remaining })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Whole sentences per case, not joined parts: word order differs between languages. */
function statusText(factors: SecondFactors): string {
  const passkeys = factors.passkeys.length;
  const totp = factors.totp.enabled;
  if (passkeys === 1)
    return totp ? i18n.t('account:twoFactor.status.totpOrPasskey') : i18n.t('account:twoFactor.status.passkey');
  if (passkeys > 1) {
    const n = String(passkeys);
    return totp
      ? i18n.t('account:twoFactor.status.totpOrPasskeys', { n })
      : i18n.t('account:twoFactor.status.passkeys', { n });
  }
  return totp ? i18n.t('account:twoFactor.status.totp') : i18n.t('account:twoFactor.status.passwordOnly');
}
