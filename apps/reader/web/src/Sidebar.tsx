import type { ReactNode } from 'react';
import { OPML_EXPORT_URL } from './api';
import { EmptyState } from './EmptyState';
import { FeedTile } from './FeedTile';
import { Icon, type IconName } from './Icon';
import { sameSelection, type Selection } from './selection';
import type { Subscription } from './types';
import type { LibraryState } from './useLibrary';
import { usePreference } from './usePreference';

interface SidebarProps {
  library: LibraryState;
  selection: Selection;
  /** On a phone only one pane shows: the others are inert (kept, with their scroll). */
  inactive: boolean;
  onSelect: (selection: Selection) => void;
  onRetry: () => void;
  onSubscribe: () => void;
  onNewFolder: () => void;
  onImportOpml: (file: File) => void;
  importing: boolean;
}

/** The left pane: built-in views, then folders and feeds with their unread counts. */
export function Sidebar(props: SidebarProps) {
  const { library, selection, inactive, onSelect } = props;
  const [collapsed, setCollapsed] = usePreference<string[]>('reader.collapsedFolders', []);
  const totalUnread =
    library.kind === 'ready' ? library.subscriptions.reduce((n, s) => n + s.unreadCount, 0) : undefined;

  const row = (target: Selection, icon: ReactNode, label: string, unread: number | undefined, extra?: ReactNode) => {
    const current = sameSelection(target, selection);
    return (
      <button
        type="button"
        className={current ? 'nav-item nav-item-current' : 'nav-item'}
        aria-current={current ? 'page' : undefined}
        onClick={() => {
          onSelect(target);
        }}
      >
        {icon}
        {/* The title shows a long name in full where the pane cuts it. */}
        <span className="nav-label" title={label}>
          {label}
        </span>
        {extra}
        {unread !== undefined && unread > 0 && (
          <span className="count" aria-label={`${String(unread)} unread`}>
            {unread > 999 ? '999+' : unread}
          </span>
        )}
      </button>
    );
  };

  const builtIn = (kind: 'all' | 'unread' | 'starred', icon: IconName, label: string, unread?: number) => (
    <li>{row({ kind }, <Icon name={icon} />, label, unread)}</li>
  );

  const feedRow = (subscription: Subscription) => (
    <li key={subscription.id}>
      {row(
        { kind: 'feed', id: subscription.id },
        <FeedTile title={subscription.title} />,
        subscription.title,
        subscription.unreadCount,
        subscription.status.lastError !== null && (
          <span className="nav-warning" title={subscription.status.lastError}>
            <Icon name="alert" />
            <span className="visually-hidden">(last fetch failed)</span>
          </span>
        ),
      )}
    </li>
  );

  return (
    <nav className="pane pane-feeds" aria-label="Feeds" inert={inactive}>
      <div className="sidebar-scroll">
        <button type="button" className="button button-primary button-small" onClick={props.onSubscribe}>
          <Icon name="plus" />
          Subscribe
        </button>
        <ul className="nav-list">
          {builtIn('all', 'inbox', 'All items', totalUnread)}
          {builtIn('unread', 'circle', 'Unread', totalUnread)}
          {builtIn('starred', 'star', 'Starred')}
        </ul>

        <div className="nav-section">
          <h2 className="nav-section-title">Feeds</h2>
          <button
            type="button"
            className="icon-button icon-button-small"
            aria-label="New folder"
            title="New folder"
            onClick={props.onNewFolder}
          >
            <Icon name="folder" />
          </button>
        </div>

        {library.kind === 'loading' && <SkeletonRows count={6} />}
        {library.kind === 'error' && (
          <div role="alert" className="alert">
            <p>Could not load your feeds. {library.message}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              Try again
            </button>
          </div>
        )}
        {library.kind === 'ready' && library.subscriptions.length === 0 && library.folders.length === 0 && (
          <EmptyState title="No feeds yet">
            <button type="button" className="link-button" onClick={props.onSubscribe}>
              Browse recommended feeds
            </button>{' '}
            or paste a feed’s address.
          </EmptyState>
        )}
        {library.kind === 'ready' && (
          <ul className="nav-list">
            {library.folders.map((folder) => {
              const open = !collapsed.includes(folder.id);
              const feeds = library.subscriptions.filter((s) => s.folderId === folder.id);
              return (
                <li key={folder.id} className="nav-folder">
                  <div className="nav-folder-row">
                    <button
                      type="button"
                      className={open ? 'folder-toggle' : 'folder-toggle folder-toggle-closed'}
                      aria-expanded={open}
                      aria-label={`${open ? 'Collapse' : 'Expand'} ${folder.name}`}
                      onClick={() => {
                        setCollapsed(open ? [...collapsed, folder.id] : collapsed.filter((id) => id !== folder.id));
                      }}
                    >
                      <Icon name="chevronDown" />
                    </button>
                    {row({ kind: 'folder', id: folder.id }, <Icon name="folder" />, folder.name, folder.unreadCount)}
                  </div>
                  {open && feeds.length > 0 && <ul className="nav-list nav-nested">{feeds.map(feedRow)}</ul>}
                  {open && feeds.length === 0 && <p className="nav-empty">No feeds in this folder</p>}
                </li>
              );
            })}
            {library.subscriptions.filter((s) => s.folderId === null).map(feedRow)}
          </ul>
        )}
      </div>

      <div className="sidebar-footer">
        <label className={props.importing ? 'footer-action footer-action-busy' : 'footer-action'}>
          <input
            type="file"
            className="visually-hidden"
            accept=".opml,.xml,text/x-opml,application/xml,text/xml"
            disabled={props.importing}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = ''; // the same file can be picked again after a fix
              if (file !== undefined) props.onImportOpml(file);
            }}
          />
          <Icon name="upload" />
          {props.importing ? 'Importing…' : 'Import OPML'}
        </label>
        <a className="footer-action" href={OPML_EXPORT_URL} download>
          <Icon name="download" />
          Export OPML
        </a>
      </div>
    </nav>
  );
}

export function SkeletonRows({ count, tall = false }: { count: number; tall?: boolean }) {
  return (
    <div className="skeletons" aria-hidden="true">
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className={tall ? 'skeleton skeleton-tall' : 'skeleton'} />
      ))}
    </div>
  );
}
