import { useRef, useState } from 'react';
import type { Session } from '@gatehouse/client';
import { auth } from './auth';
import { fullDateTime, relativeTime } from './format';
import { ListLoadFailed } from './ListLoadFailed';
import { useAccountList } from './useAccountList';
import { describeDevice } from './userAgent';

interface SessionListProps {
  /** Changes when the list must be fetched again (e.g. after a password change). */
  version: number;
  onSessionEnded: () => void;
}

/** Everywhere the user is signed in, with a way to end each one. */
export function SessionList({ version, onSessionEnded }: SessionListProps) {
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
      setAnnouncement(`Signed out ${device}.`);
      // The row and its button are gone: keep keyboard focus in the list, not on <body>.
      listRef.current?.focus();
    } catch (error) {
      setAnnouncement(`Could not sign out ${device}. ${failed(error)}`);
    } finally {
      setPendingId(undefined);
    }
  }

  if (state.kind === 'loading') {
    return (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Loading your sessions…
      </p>
    );
  }
  if (state.kind === 'failed') {
    return <ListLoadFailed what="your sessions" message={state.message} onRetry={retry} />;
  }
  return (
    <>
      <ul ref={listRef} className="session-list" tabIndex={-1} aria-label="Signed-in devices">
        {state.items.map((session) => {
          const device = describeDevice(session);
          const lastSeen = relativeTime(session.lastSeenAt);
          return (
            <li key={session.id} className="session">
              <div className="session-text">
                <p className="session-device">
                  {device}
                  {session.current && <span className="badge">This device</span>}
                </p>
                <p className="session-meta">
                  <span>{session.ip === null ? 'Unknown location' : `IP ${session.ip}`}</span>
                  <span>
                    Last active{' '}
                    <time dateTime={session.lastSeenAt} title={fullDateTime(session.lastSeenAt)}>
                      {lastSeen}
                    </time>
                  </span>
                  <span>
                    Signed in <time dateTime={session.createdAt}>{fullDateTime(session.createdAt)}</time>
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
                    ? `Sign out of this device (${device})`
                    : `Sign out ${device}, last active ${lastSeen}`
                }
                onClick={() => {
                  void end(session);
                }}
              >
                {session.current ? 'Sign out' : 'Revoke'}
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
