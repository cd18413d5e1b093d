import { useCallback, useState } from 'react';
import type { Passkey } from '@gatehouse/client';
import { AddPasskeyForm } from './AddPasskeyForm';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { describeError, isSessionEnded } from './errors';
import { PasskeyRow } from './PasskeyRow';
import { RecoveryCodes } from './RecoveryCodes';
import type { SecondFactorsHandle } from './useSecondFactors';

interface PasskeysSectionProps {
  email: string;
  factors: SecondFactorsHandle;
  onSessionEnded: () => void;
}

/** Passkeys: sign in without a password, and a second factor after one. */
export function PasskeysSection({ email, factors, onSessionEnded }: PasskeysSectionProps) {
  const { state } = factors;
  const [codes, setCodes] = useState<string[] | undefined>();
  const [removing, setRemoving] = useState<Passkey | undefined>();
  const [announcement, setAnnouncement] = useState('');

  const failed = useCallback(
    (error: unknown) => {
      if (isSessionEnded(error)) onSessionEnded();
      return describeError(error).message;
    },
    [onSessionEnded],
  );

  const passkeys = state.kind === 'ready' ? state.factors.passkeys : [];
  const lastFactor = state.kind === 'ready' && !state.factors.totp.enabled && passkeys.length === 1;

  return (
    <section className="account-section" aria-labelledby="passkeys-title">
      <div className="account-section-head">
        <h2 id="passkeys-title" className="account-section-title">
          Passkeys
        </h2>
        <p className="account-section-hint">
          Sign in with your fingerprint, face or screen lock instead of your password. A passkey is also a second
          factor.
        </p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your passkeys…
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>Could not load your passkeys. {state.message}</p>
          <button type="button" className="button button-secondary button-small" onClick={factors.retry}>
            Try again
          </button>
        </div>
      )}
      {state.kind === 'ready' &&
        (passkeys.length === 0 ? (
          <p className="api-keys-empty">You have no passkeys.</p>
        ) : (
          <ul className="session-list" aria-label="Passkeys">
            {passkeys.map((passkey) => (
              <PasskeyRow
                key={passkey.id}
                passkey={passkey}
                failed={failed}
                onRenamed={(renamed) => {
                  factors.update((f) => ({
                    ...f,
                    passkeys: f.passkeys.map((p) => (p.id === renamed.id ? renamed : p)),
                  }));
                  setAnnouncement(`Renamed to ${renamed.name}.`);
                }}
                onRemove={() => {
                  setRemoving(passkey);
                }}
              />
            ))}
          </ul>
        ))}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      {codes !== undefined ? (
        <RecoveryCodes
          codes={codes}
          email={email}
          onDone={() => {
            setCodes(undefined);
          }}
        />
      ) : (
        state.kind === 'ready' && (
          <AddPasskeyForm
            onAdded={({ passkey, recoveryCodes }) => {
              setAnnouncement(`Added ${passkey.name}.`);
              if (recoveryCodes !== null) setCodes(recoveryCodes);
              factors.reload();
            }}
            onSessionEnded={onSessionEnded}
          />
        )
      )}

      {removing !== undefined && (
        <ConfirmDialog
          title="Remove this passkey?"
          confirmLabel="Remove passkey"
          danger
          failed={failed}
          onClose={() => {
            setRemoving(undefined);
          }}
          onConfirm={async () => {
            await auth.removePasskey(removing.id);
            setRemoving(undefined);
            setAnnouncement(`Removed ${removing.name}.`);
            factors.reload();
          }}
        >
          <p>
            <strong className="wrap-anywhere">{removing.name}</strong> will no longer sign you in.{' '}
            {lastFactor
              ? 'It is your only second factor: two-factor authentication turns off.'
              : 'Remove it from the device or password manager too.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
