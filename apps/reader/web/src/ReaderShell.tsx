import { useState } from 'react';
import type { User } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, isSessionEnded } from './errors';
import { EmptyState } from './EmptyState';
import { Logo } from './Logo';

interface ReaderShellProps {
  user: User;
  onSignedOut: () => void;
  onSessionEnded: () => void;
}

/** The signed-in app: top bar, then feeds, items and the article, side by side on desktop. */
export function ReaderShell({ user, onSignedOut, onSessionEnded }: ReaderShellProps) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const displayName = user.name ?? user.email;

  async function signOut() {
    setPending(true);
    setProblem(undefined);
    try {
      await auth.signOut();
      onSignedOut();
    } catch (error) {
      if (isSessionEnded(error)) {
        onSessionEnded();
        return;
      }
      setProblem(`Could not sign out. ${describeError(error).message}`);
      setPending(false);
    }
  }

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <h1 className="brand-name">Gatehouse Reader</h1>
        </div>
        <div className="account">
          <span className="avatar" aria-hidden="true">
            {displayName.charAt(0).toUpperCase()}
          </span>
          <span className="account-name" title={user.email}>
            {displayName}
          </span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={pending}
            aria-busy={pending}
            onClick={() => {
              void signOut();
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {problem !== undefined && (
        <div role="alert" className="alert banner">
          <p>{problem}</p>
        </div>
      )}
      <div className="panes">
        <nav className="pane pane-feeds" aria-labelledby="feeds-heading">
          <h2 id="feeds-heading" className="pane-title">
            Feeds
          </h2>
          <EmptyState title="No feeds yet">Feeds you subscribe to will be listed here.</EmptyState>
        </nav>
        <main className="pane-main">
          <section className="pane pane-items" aria-labelledby="items-heading">
            <h2 id="items-heading" className="pane-title">
              All items
            </h2>
            <EmptyState title="Nothing to read yet">New posts from your feeds will show up here.</EmptyState>
          </section>
          <section className="pane pane-article" aria-labelledby="article-heading">
            <div className="welcome">
              <h2 id="article-heading" className="welcome-title">
                Welcome{user.name === null ? '' : `, ${user.name}`}
              </h2>
              <p className="welcome-text">Subscribe to a feed to start reading. Feed subscriptions are coming soon.</p>
            </div>
          </section>
        </main>
      </div>
    </div>
  );
}
