import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '@gatehouse/client';
import { auth } from './auth';
import { fullDateTime, relativeTime } from './format';
import { ListLoadFailed } from './ListLoadFailed';
import { useAccountList } from './useAccountList';
import { describeDevice } from './userAgent';
import { Sentence } from './Sentence';

interface SessionListProps {
  /** Changes when the list must be fetched again (e.g. after a password change). */
  version: number;
  onSessionEnded: () => void;
}

/** Everywhere the user is signed in, with a way to end each one. */
export function SessionList({ version, onSessionEnded }: SessionListProps) {
  const { t } = useTranslation();
  const { state, retry, update, failed } = useAccountList(auth.sessions, version, onSessionEnded);
  const [pendingId, setPendingId] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const listRef = useRef<HTMLUListElement>(null);

  async function end(session: Session) {
    setPendingId(session.id);
    setAnnouncement('');
    const device = describeDevice(session);
    try {
      if (session.current) {
        await auth.signOut(); // the app returns to sign-in on the client's signed-out event
        return;
      }
      await auth.revokeSession(session.id);
      update((sessions) => sessions.filter((s) => s.id !== session.id));
      setAnnouncement(t('account:sessions.signedOut', { device }));
      // The row and its button are gone: keep keyboard focus in the list, not on <body>.
      listRef.current?.focus();
    } catch (error) {
      setAnnouncement(t('account:sessions.signOutFailed', { device, reason: failed(error) }));
    } finally {
      setPendingId(undefined);
    }
  }

  if (state.kind === 'loading') {
    return (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> {t('account:sessions.loading')}
      </p>
    );
  }
  if (state.kind === 'failed') {
    return <ListLoadFailed what={t('account:sessions.what')} message={state.message} onRetry={retry} />;
  }
  return (
    <>
      <ul ref={listRef} className="session-list" tabIndex={-1} aria-label={t('account:sessions.listLabel')}>
        {state.items.map((session) => {
          const device = describeDevice(session);
          const lastSeen = relativeTime(session.lastSeenAt);
          return (
            <li key={session.id} className="session">
              <div className="session-text">
                <p className="session-device">
                  {device}
                  {session.current && <span className="badge">{t('account:sessions.thisDevice')}</span>}
                </p>
                <p className="session-meta">
                  <span>
                    {session.ip === null
                      ? t('account:sessions.unknownLocation')
                      : t('account:sessions.ip', { ip: session.ip })}
                  </span>
                  <span>
                    <Sentence
                      i18nKey="account:sessions.lastActive"
                      values={{ when: lastSeen }}
                      components={{
                        time: <time dateTime={session.lastSeenAt} title={fullDateTime(session.lastSeenAt)} />,
                      }}
                    />
                  </span>
                  <span>
                    <Sentence
                      i18nKey="account:sessions.signedIn"
                      values={{ date: fullDateTime(session.createdAt) }}
                      components={{ time: <time dateTime={session.createdAt} /> }}
                    />
                  </span>
                </p>
              </div>
              <button
                type="button"
                className="button button-secondary button-small session-action"
                disabled={pendingId !== undefined}
                aria-busy={pendingId === session.id}
                aria-label={
                  session.current
                    ? t('account:sessions.signOutThisLabel', { device })
                    : t('account:sessions.revokeLabel', { device, lastSeen })
                }
                onClick={() => {
                  void end(session);
                }}
              >
                {session.current ? t('account:sessions.signOut') : t('account:revoke')}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </>
  );
}
