import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './Icon';

/** A sentence above the reader that stays until dismissed: news too important for a toast. */
export function ShellNotice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // Arriving from another page: start here, so the news is read first.
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} className="shell-notice notice-success" role="status" tabIndex={-1}>
      <p>{text}</p>
      <button
        type="button"
        className="icon-button icon-button-small"
        aria-label={t('common:dismiss')}
        onClick={onDismiss}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
