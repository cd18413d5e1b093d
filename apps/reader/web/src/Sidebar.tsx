import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { OPML_EXPORT_URL } from './api';
import { EmptyState } from './EmptyState';
import { FeedTile } from './FeedTile';
import { Icon, type IconName } from './Icon';
import { sameSelection, type Selection } from './selection';
import { serverMessage } from './serverMessage';
import { TagNav } from './TagNav';
import type { Subscription, Tag } from './types';
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
  /** The user's tags, listed under the feeds (TagNav). */
  tags: Tag[];
  onOpenFilters: () => void;
}

/** The left pane: built-in views, then folders and feeds with their unread counts. */
export function Sidebar(props: SidebarProps) {
  const { library, selection, inactive, onSelect } = props;
  const { t } = useTranslation();
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
          <span className="count" aria-label={t('reader:sidebar.unread', { count: unread })}>
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
          <span
            className="nav-warning"
            title={serverMessage(
              t,
              subscription.status.lastErrorCode,
              subscription.status.lastErrorParams,
              subscription.status.lastError,
            )}
          >
            <Icon name="alert" />
            <span className="visually-hidden">{t('reader:sidebar.lastFetchFailed')}</span>
          </span>
        ),
      )}
    </li>
  );

  return (
    <nav className="pane pane-feeds" aria-label={t('reader:sidebar.label')} inert={inactive}>
      <div className="sidebar-scroll">
        <button type="button" className="button button-primary button-small" onClick={props.onSubscribe}>
          <Icon name="plus" />
          {t('reader:sidebar.subscribe')}
        </button>
        <ul className="nav-list">
          {builtIn('all', 'inbox', t('reader:views.all'), totalUnread)}
          {builtIn('unread', 'circle', t('reader:views.unread'), totalUnread)}
          {builtIn('starred', 'star', t('reader:views.starred'))}
        </ul>

        <div className="nav-section">
          <h2 className="nav-section-title">{t('reader:sidebar.feeds')}</h2>
          <button
            type="button"
            className="icon-button icon-button-small"
            aria-label={t('reader:sidebar.newFolder')}
            title={t('reader:sidebar.newFolder')}
            onClick={props.onNewFolder}
          >
            <Icon name="folder" />
          </button>
        </div>

        {library.kind === 'loading' && <SkeletonRows count={6} />}
        {library.kind === 'error' && (
          <div role="alert" className="alert">
            <p>{t('reader:sidebar.loadFailed', { message: library.message })}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              {t('common:tryAgain')}
            </button>
          </div>
        )}
        {library.kind === 'ready' && library.subscriptions.length === 0 && library.folders.length === 0 && (
          <EmptyState title={t('reader:sidebar.noFeeds')}>
            <Trans
              i18nKey="reader:sidebar.noFeedsHint"
              components={{ browse: <button type="button" className="link-button" onClick={props.onSubscribe} /> }}
            />
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
                      aria-label={
                        open
                          ? t('reader:sidebar.collapse', { name: folder.name })
                          : t('reader:sidebar.expand', { name: folder.name })
                      }
                      onClick={() => {
                        setCollapsed(open ? [...collapsed, folder.id] : collapsed.filter((id) => id !== folder.id));
                      }}
                    >
                      <Icon name="chevronDown" />
                    </button>
                    {row({ kind: 'folder', id: folder.id }, <Icon name="folder" />, folder.name, folder.unreadCount)}
                  </div>
                  {open && feeds.length > 0 && <ul className="nav-list nav-nested">{feeds.map(feedRow)}</ul>}
                  {open && feeds.length === 0 && <p className="nav-empty">{t('reader:sidebar.emptyFolder')}</p>}
                </li>
              );
            })}
            {library.subscriptions.filter((s) => s.folderId === null).map(feedRow)}
          </ul>
        )}
        <TagNav tags={props.tags} selection={selection} onSelect={onSelect} />
      </div>

      <div className="sidebar-footer">
        <button type="button" className="footer-action" onClick={props.onOpenFilters}>
          <Icon name="list" />
          {t('filters:rules.open')}
        </button>
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
          {props.importing ? t('reader:sidebar.importing') : t('reader:sidebar.importOpml')}
        </label>
        <a className="footer-action" href={OPML_EXPORT_URL} download>
          <Icon name="download" />
          {t('reader:sidebar.exportOpml')}
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
