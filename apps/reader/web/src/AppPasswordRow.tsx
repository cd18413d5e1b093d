import { useTranslation } from 'react-i18next';
import type { AppPassword } from '@gatehouse/client';
import { calendarDate, fullDateTime, relativeTime } from './format';
import { i18n } from './i18n';
import { describeDevice } from './userAgent';
import { Sentence } from './Sentence';

/*
 * Sync apps say who they are in their User-Agent, each its own way: "NetNewsWire (RSS Reader;
 * …)", "Reeder/5.4 CFNetwork/… Darwin/…", "newsboat/2.33 (Linux x86_64)", or an Electron
 * browser string with "fluent-reader/1.1.4" inside. The list shows a name people recognise;
 * the whole string is in the tooltip. Only a label: the app claims whatever it likes.
 */
const KNOWN_APPS: readonly (readonly [RegExp, string])[] = [
  [/\bNetNewsWire\b/i, 'NetNewsWire'],
  [/\bReeder\b/i, 'Reeder'],
  [/\bRead ?You\b/i, 'Read You'],
  [/\bFeedMe\b/i, 'FeedMe'],
  [/\bfluent-?reader\b/i, 'Fluent Reader'],
  [/\bnewsboat\b/i, 'newsboat'],
  [/\bFocus ?Reader\b/i, 'FocusReader'],
  [/\bReadrops\b/i, 'Readrops'],
  [/\bNewsFlash\b/i, 'NewsFlash'],
  [/\bVienna\b/, 'Vienna'],
];

/** A product token at the start ("Unread/3.1 …" → "Unread"), for apps the table does not know. */
const PRODUCT = /^([A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*)?)(?:\/|\s\(|$)/;
const LONGEST_LABEL = 40;

function describeClient(userAgent: string): string {
  const known = KNOWN_APPS.find(([pattern]) => pattern.test(userAgent));
  if (known !== undefined) return known[1];
  // Android's HTTP stacks name themselves, not the app: "okhttp/4.12", "Dalvik/2.1.0 (Linux; U; Android 14 …)".
  if (/^(okhttp|Dalvik)\//i.test(userAgent)) return i18n.t('account:appPasswords.androidApp');
  if (userAgent.startsWith('Mozilla/')) return describeDevice({ userAgent, kind: 'bearer' });
  const product = PRODUCT.exec(userAgent)?.[1];
  if (product === undefined) return i18n.t('account:appPasswords.someApp');
  return product.length > LONGEST_LABEL ? `${product.slice(0, LONGEST_LABEL - 1)}…` : product;
}

interface AppPasswordRowProps {
  appPassword: AppPassword;
  /** The account's email now: the Fever login is worth showing only once it differs. */
  email: string;
  onRevoke: () => void;
}

/** One app password: its name, when it was made, when and by which app it was last used. */
export function AppPasswordRow({ appPassword, email, onRevoke }: AppPasswordRowProps) {
  const { t } = useTranslation();
  const { name, createdAt, lastUsedAt, lastUsedClient, feverLogin } = appPassword;
  const client = lastUsedClient?.trim() ?? '';
  return (
    <li className="session app-password">
      <div className="session-text">
        <p className="session-device">
          <span className="wrap-anywhere">{name}</span>
        </p>
        <p className="session-meta">
          <span>
            <Sentence
              i18nKey="account:created"
              values={{ date: calendarDate(createdAt) }}
              components={{ time: <time dateTime={createdAt} /> }}
            />
          </span>
          <span>
            {lastUsedAt === null ? (
              t('account:neverUsed')
            ) : (
              <Sentence
                i18nKey={client === '' ? 'account:lastUsed' : 'account:appPasswords.lastUsedBy'}
                values={{ when: relativeTime(lastUsedAt), client: client === '' ? '' : describeClient(client) }}
                components={{
                  time: <time dateTime={lastUsedAt} title={fullDateTime(lastUsedAt)} />,
                  client: <span title={client} />,
                }}
              />
            )}
          </span>
          {feverLogin.toLowerCase() !== email.toLowerCase() && (
            // The email changed since: Fever apps must keep signing in with the old one.
            <span className="wrap-anywhere">{t('account:appPasswords.feverLogin', { login: feverLogin })}</span>
          )}
        </p>
      </div>
      <button
        type="button"
        className="button button-secondary button-small session-action"
        aria-label={t('account:revokeLabel', { name })}
        onClick={onRevoke}
      >
        {t('account:revoke')}
      </button>
    </li>
  );
}
