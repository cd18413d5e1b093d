import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Passkey } from '@gatehouse/client';
import { AddPasskeyForm } from './AddPasskeyForm';
import { auth } from './auth';
import { ConfirmDialog } from './ConfirmDialog';
import { describeError, isSessionEnded } from './errors';
import { PasskeyRow } from './PasskeyRow';
import { RecoveryCodes } from './RecoveryCodes';
import type { SecondFactorsHandle } from './useSecondFactors';
import { Sentence } from './Sentence';

interface PasskeysSectionProps {
  email: string;
  factors: SecondFactorsHandle;
  onSessionEnded: () => void;
}

/** Passkeys: sign in without a password, and a second factor after one. */
export function PasskeysSection({ email, factors, onSessionEnded }: PasskeysSectionProps) {
  const { t } = useTranslation();
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
          {t('account:passkeys.title')}
        </h2>
        <p className="account-section-hint">{t('account:passkeys.hint')}</p>
      </div>

      {state.kind === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('account:passkeys.loading')}
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="alert">
          <p>{t('account:listFailed', { what: t('account:passkeys.what'), reason: state.message })}</p>
          <button type="button" className="button button-secondary button-small" onClick={factors.retry}>
            {t('account:tryAgain')}
          </button>
        </div>
      )}
      {state.kind === 'ready' &&
        (passkeys.length === 0 ? (
          <p className="api-keys-empty">{t('account:passkeys.empty')}</p>
        ) : (
          <ul className="session-list" aria-label={t('account:passkeys.title')}>
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
                  setAnnouncement(t('account:passkeys.renamed', { name: renamed.name }));
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
              setAnnouncement(t('account:passkeys.added', { name: passkey.name }));
              if (recoveryCodes !== null) setCodes(recoveryCodes);
              factors.reload();
            }}
            onSessionEnded={onSessionEnded}
          />
        )
      )}

      {removing !== undefined && (
        <ConfirmDialog
          title={t('account:passkeys.removeTitle')}
          confirmLabel={t('account:passkeys.removeConfirm')}
          danger
          failed={failed}
          onClose={() => {
            setRemoving(undefined);
          }}
          onConfirm={async () => {
            await auth.removePasskey(removing.id);
            setRemoving(undefined);
            setAnnouncement(t('account:passkeys.removed', { name: removing.name }));
            factors.reload();
          }}
        >
          <p>
            <Sentence
              i18nKey={lastFactor ? 'account:passkeys.removeTextLast' : 'account:passkeys.removeText'}
              values={{ name: removing.name }}
              components={{ strong: <strong className="wrap-anywhere" /> }}
            />
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
