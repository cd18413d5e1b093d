import { useState, type SubmitEvent } from 'react';
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
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="account-section account-danger" aria-labelledby="delete-title">
      <div className="account-section-head">
        <h2 id="delete-title" className="account-section-title">
          Delete account
        </h2>
        <p className="account-section-hint">
          Deletes your account and everything in it: subscriptions, folders, read and starred marks, sessions and API
          keys. This can’t be undone.
        </p>
      </div>
      <div>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            setConfirming(true);
          }}
        >
          Delete account…
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
      setMessage(`Your account was not deleted. ${describeError(error).message}`);
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (matches && !pending) void confirm();
  }

  return (
    <Dialog title="Delete your account?" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-label="Delete your account">
        <p>
          Your subscriptions, folders, read and starred marks, sessions and API keys are deleted with it, on every
          device. This can’t be undone.
        </p>
        {message !== undefined && (
          <div role="alert" className="alert">
            <p>{message}</p>
          </div>
        )}
        <Field
          id="delete-confirm-email"
          label={`Type ${email} to confirm`}
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
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={!matches || pending} aria-busy={pending}>
            Delete my account
          </button>
        </div>
      </form>
    </Dialog>
  );
}
