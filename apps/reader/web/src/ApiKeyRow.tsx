import { useTranslation } from 'react-i18next';
import type { ApiKey } from '@gatehouse/client';
import { calendarDate, fullDateTime, relativeTime } from './format';
import { Sentence } from './Sentence';

/** The scopes the reader knows, by name; another (a newer server's) shows as it is. */
const SCOPE_BADGES: Readonly<Record<string, string>> = {
  read: 'account:apiKeys.scopeBadge.read',
  write: 'account:apiKeys.scopeBadge.write',
};

/** One key: its name and access, when it was made and last used, when it stops working. */
export function ApiKeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => void }) {
  const { t } = useTranslation();
  const expired = apiKey.expiresAt !== null && Date.parse(apiKey.expiresAt) <= Date.now();
  return (
    <li className={expired ? 'session api-key api-key-expired' : 'session api-key'}>
      <div className="session-text">
        <p className="session-device">
          <span className="wrap-anywhere">{apiKey.name}</span>
          {apiKey.scopes.map((scope) => (
            <span key={scope} className="badge badge-quiet">
              {Object.hasOwn(SCOPE_BADGES, scope) ? t(SCOPE_BADGES[scope] ?? scope) : scope}
            </span>
          ))}
          {expired && <span className="badge badge-danger">{t('account:apiKeys.expiredBadge')}</span>}
        </p>
        <p className="session-meta">
          <code className="api-key-prefix">{apiKey.prefix}…</code>
          <span>
            <Sentence
              i18nKey="account:created"
              values={{ date: calendarDate(apiKey.createdAt) }}
              components={{ time: <time dateTime={apiKey.createdAt} /> }}
            />
          </span>
          <span>
            {apiKey.lastUsedAt === null ? (
              t('account:neverUsed')
            ) : (
              <Sentence
                i18nKey="account:lastUsed"
                values={{ when: relativeTime(apiKey.lastUsedAt) }}
                components={{ time: <time dateTime={apiKey.lastUsedAt} title={fullDateTime(apiKey.lastUsedAt)} /> }}
              />
            )}
          </span>
          <span>
            {apiKey.expiresAt === null ? (
              t('account:apiKeys.neverExpires')
            ) : (
              <Sentence
                i18nKey={expired ? 'account:apiKeys.expiredOn' : 'account:apiKeys.expiresOn'}
                values={{ date: calendarDate(apiKey.expiresAt) }}
                components={{ time: <time dateTime={apiKey.expiresAt} /> }}
              />
            )}
          </span>
        </p>
      </div>
      <button
        type="button"
        className="button button-secondary button-small session-action"
        aria-label={t('account:revokeLabel', { name: apiKey.name })}
        onClick={onRevoke}
      >
        {t('account:revoke')}
      </button>
    </li>
  );
}
