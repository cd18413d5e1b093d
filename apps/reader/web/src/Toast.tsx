import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface ToastMessage {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

let nextId = 0;

/** One short message at a time, gone after a few seconds; errors stay a little longer. */
export function useToast() {
  const [toast, setToast] = useState<ToastMessage | undefined>();
  useEffect(() => {
    if (toast === undefined) return;
    const timer = setTimeout(
      () => {
        setToast(undefined);
      },
      toast.tone === 'error' ? 7000 : 3500,
    );
    return () => {
      clearTimeout(timer);
    };
  }, [toast]);
  const show = useCallback((text: string, tone: ToastMessage['tone'] = 'info') => {
    setToast({ id: ++nextId, text, tone });
  }, []);
  const dismiss = useCallback(() => {
    setToast(undefined);
  }, []);
  return { toast, show, dismiss };
}

/** The live region is always there, so screen readers announce what appears in it. */
export function Toast({ toast, onDismiss }: { toast: ToastMessage | undefined; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast !== undefined && (
        <div key={toast.id} className={toast.tone === 'error' ? 'toast toast-error' : 'toast'}>
          <span>{toast.text}</span>
          <button type="button" className="toast-close" aria-label={t('common:dismiss')} onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
