import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './Icon';

interface DialogProps {
  title: string;
  /** Shown under the title, e.g. what the dialog acts on. */
  subtitle?: string | undefined;
  onClose: () => void;
  /** Wide dialogs hold the catalogue; narrow ones a short form. */
  size?: 'narrow' | 'wide';
  children: ReactNode;
}

/**
 * A modal on the native <dialog>: the browser traps focus, makes the page behind it inert,
 * closes it on Escape and gives focus back to whatever opened it. The element to focus
 * first carries `data-autofocus`.
 */
export function Dialog({ title, subtitle, onClose, size = 'narrow', children }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  // Unique: the step-up prompt opens over another dialog, and each must keep its own name.
  const titleId = useId();
  // The latest onClose without re-running the effect that opens the dialog.
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    dialog.showModal();
    // React's autoFocus runs before showModal, which then moves focus again: mark the
    // field to start in with data-autofocus instead.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const cancel = (event: Event) => {
      event.preventDefault(); // React decides when it goes, so state and DOM agree.
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself, never on its content.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-frame">
        <header className="dialog-header">
          <div className="dialog-heading">
            <h2 id={titleId} className="dialog-title">
              {title}
            </h2>
            {subtitle !== undefined && <p className="dialog-subtitle">{subtitle}</p>}
          </div>
          <button type="button" className="icon-button" aria-label={t('common:close')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </dialog>
  );
}
