import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecondFactors } from '@gatehouse/client';
import { auth } from './auth';
import { twoFactorOn, type SecondFactorsHandle } from './useSecondFactors';

interface StepUpFactorToggleProps {
  current: SecondFactors;
  factors: SecondFactorsHandle;
  failed: (error: unknown) => string;
}

/**
 * Whether confirming a sensitive action (API keys, email, deleting the account…) asks for the
 * second factor as well as the password. It needs a factor to ask for.
 */
export function StepUpFactorToggle({ current, factors, failed }: StepUpFactorToggleProps) {
  const { t } = useTranslation();
  // What the box shows while the server (and perhaps the step-up prompt) decides; then the server's word.
  const [wanted, setWanted] = useState<boolean | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const on = twoFactorOn(current);
  const pending = wanted !== undefined;

  async function change(required: boolean) {
    setWanted(required);
    setMessage(undefined);
    try {
      const stepUpRequiresFactor = await auth.setStepUpRequiresFactor(required);
      factors.update((f) => ({ ...f, stepUpRequiresFactor }));
    } catch (error) {
      setMessage(t('account:stepUpToggle.notChanged', { reason: failed(error) }));
    } finally {
      setWanted(undefined);
    }
  }

  return (
    <div className="step-up-toggle">
      <div className="checkbox checkbox-described">
        <input
          id="step-up-factor"
          type="checkbox"
          checked={wanted ?? current.stepUpRequiresFactor}
          disabled={pending || (!on && !current.stepUpRequiresFactor)}
          aria-busy={pending}
          aria-describedby="step-up-factor-hint"
          onChange={(event) => {
            void change(event.target.checked);
          }}
        />
        <label htmlFor="step-up-factor">
          {t('account:stepUpToggle.label')}
          <span id="step-up-factor-hint" className="field-hint">
            {on ? t('account:stepUpToggle.hint') : t('account:stepUpToggle.hintOff')}
          </span>
        </label>
      </div>
      {message !== undefined && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
