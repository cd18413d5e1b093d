import type { AppPassword } from '@gatehouse/client';
import { calendarDate, fullDateTime, relativeTime } from './format';
import { describeDevice } from './userAgent';

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
  if (/^(okhttp|Dalvik)\//i.test(userAgent)) return 'An Android app';
  if (userAgent.startsWith('Mozilla/')) return describeDevice({ userAgent, kind: 'bearer' });
  const product = PRODUCT.exec(userAgent)?.[1];
  if (product === undefined) return 'An app';
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
            Created <time dateTime={createdAt}>{calendarDate(createdAt)}</time>
          </span>
          <span>
            {lastUsedAt === null ? (
              'Never used'
            ) : (
              <>
                Last used{' '}
                <time dateTime={lastUsedAt} title={fullDateTime(lastUsedAt)}>
                  {relativeTime(lastUsedAt)}
                </time>
                {client !== '' && (
                  <>
                    {' '}
                    by <span title={client}>{describeClient(client)}</span>
                  </>
                )}
              </>
            )}
          </span>
          {feverLogin.toLowerCase() !== email.toLowerCase() && (
            // The email changed since: Fever apps must keep signing in with the old one.
            <span className="wrap-anywhere">Fever login {feverLogin}</span>
          )}
        </p>
      </div>
      <button
        type="button"
        className="button button-secondary button-small session-action"
        aria-label={`Revoke ${name}`}
        onClick={onRevoke}
      >
        Revoke
      </button>
    </li>
  );
}
