import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  /** The confirming button's text, e.g. "Turn off". */
  confirmLabel: string;
  /** Red when it removes something. */
  danger?: boolean;
  /** Does it; a thrown error is shown here, and the dialog stays. */
  onConfirm: () => Promise<void>;
  /** How a failure reads (and whether the session ended). */
  failed: (error: unknown) => string;
  onClose: () => void;
}

/** "Are you sure?" for one action: Cancel first (and focused), the action second, the error in place. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  onConfirm,
  failed,
  onClose,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | undefined>();

  async function confirm() {
    setPending(true);
    setMessage(undefined);
    try {
      await onConfirm();
    } catch (error) {
      setMessage(failed(error));
      setPending(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {message !== undefined && (
        <div role="alert" className="alert">
          <p>{message}</p>
        </div>
      )}
      <div className="dialog-actions account-dialog-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
          {t('common:cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary button-inline'}
          disabled={pending}
          aria-busy={pending}
          onClick={() => {
            void confirm();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
