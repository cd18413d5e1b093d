import { useTranslation } from 'react-i18next';

interface ListLoadFailedProps {
  /** What could not be loaded, e.g. "your API keys". */
  what: string;
  message: string;
  onRetry: () => void;
}

/** An account list that did not load: why, and a way to ask again. */
export function ListLoadFailed({ what, message, onRetry }: ListLoadFailedProps) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="alert">
      <p>{t('account:listFailed', { what, reason: message })}</p>
      <button type="button" className="button button-secondary button-small" onClick={onRetry}>
        {t('account:tryAgain')}
      </button>
    </div>
  );
}
