import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@gatehouse/client';
import { auth } from './auth';
import { Dialog } from './Dialog';
import { describeError, isSessionEnded } from './errors';
import { Field } from './Field';

interface DeleteAccountSectionProps {
  user: User;
  onSessionEnded: () => void;
}

/** The danger zone: deleting the account, after the user types its address. */
export function DeleteAccountSection({ user, onSessionEnded }: DeleteAccountSectionProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="account-section account-danger" aria-labelledby="delete-title">
      <div className="account-section-head">
        <h2 id="delete-title" className="account-section-title">
          {t('account:delete.title')}
        </h2>
        <p className="account-section-hint">{t('account:delete.hint')}</p>
      </div>
      <div>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            setConfirming(true);
          }}
        >
          {t('account:delete.open')}
        </button>
      </div>
      {confirming && (
        <DeleteAccountDialog
          email={user.email}
          onClose={() => {
            setConfirming(false);
          }}
          onSessionEnded={onSessionEnded}
        />
      )}
    </section>
  );
}

interface DeleteAccountDialogProps {
  email: string;
  onClose: () => void;
  onSessionEnded: () => void;
}

function DeleteAccountDialog({ email, onClose, onSessionEnded }: DeleteAccountDialogProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  // Typing the address is the confirmation: a click alone is too easy to make by mistake.
  const matches = typed.trim().toLowerCase() === email.toLowerCase();

  async function confirm() {
    setPending(true);
    setMessage(undefined);
    try {
      await auth.deleteAccount(); // the app shows the signed-out page on the client's `deleted` event
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      setMessage(t('account:delete.failed', { reason: describeError(error).message }));
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (matches && !pending) void confirm();
  }

  return (
    <Dialog title={t('account:delete.dialogTitle')} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-label={t('account:delete.formLabel')}>
        <p>{t('account:delete.dialogText')}</p>
        {message !== undefined && (
          <div role="alert" className="alert">
            <p>{message}</p>
          </div>
        )}
        <Field
          id="delete-confirm-email"
          label={t('account:delete.typeToConfirm', { email })}
          type="email"
          name="confirmEmail"
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
          }}
        />
        <div className="dialog-actions account-dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('account:cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={!matches || pending} aria-busy={pending}>
            {t('account:delete.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
