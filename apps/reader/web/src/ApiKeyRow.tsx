import type { ApiKey } from '@gatehouse/client';
import { calendarDate, fullDateTime, relativeTime } from './format';

/** One key: its name and access, when it was made and last used, when it stops working. */
export function ApiKeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => void }) {
  const expired = apiKey.expiresAt !== null && Date.parse(apiKey.expiresAt) <= Date.now();
  return (
    <li className={expired ? 'session api-key api-key-expired' : 'session api-key'}>
      <div className="session-text">
        <p className="session-device">
          <span className="wrap-anywhere">{apiKey.name}</span>
          {apiKey.scopes.map((scope) => (
            <span key={scope} className="badge badge-quiet">
              {scope}
            </span>
          ))}
          {expired && <span className="badge badge-danger">Expired</span>}
        </p>
        <p className="session-meta">
          <code className="api-key-prefix">{apiKey.prefix}…</code>
          <span>
            Created <time dateTime={apiKey.createdAt}>{calendarDate(apiKey.createdAt)}</time>
          </span>
          <span>
            {apiKey.lastUsedAt === null ? (
              'Never used'
            ) : (
              <>
                Last used{' '}
                <time dateTime={apiKey.lastUsedAt} title={fullDateTime(apiKey.lastUsedAt)}>
                  {relativeTime(apiKey.lastUsedAt)}
                </time>
              </>
            )}
          </span>
          <span>
            {apiKey.expiresAt === null ? (
              'Never expires'
            ) : (
              <>
                {expired ? 'Expired' : 'Expires'}{' '}
                <time dateTime={apiKey.expiresAt}>{calendarDate(apiKey.expiresAt)}</time>
              </>
            )}
          </span>
        </p>
      </div>
      <button
        type="button"
        className="button button-secondary button-small session-action"
        aria-label={`Revoke ${apiKey.name}`}
        onClick={onRevoke}
      >
        Revoke
      </button>
    </li>
  );
}
