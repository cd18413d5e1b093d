interface ListLoadFailedProps {
  /** What could not be loaded, e.g. "your API keys". */
  what: string;
  message: string;
  onRetry: () => void;
}

/** An account list that did not load: why, and a way to ask again. */
export function ListLoadFailed({ what, message, onRetry }: ListLoadFailedProps) {
  return (
    <div role="alert" className="alert">
      <p>
        Could not load {what}. {message}
      </p>
      <button type="button" className="button button-secondary button-small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
