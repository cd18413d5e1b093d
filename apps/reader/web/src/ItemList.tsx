import { useEffect, useRef, type RefObject } from 'react';
import { EmptyState } from './EmptyState';
import { count, itemAge, fullDateTime } from './format';
import { Icon } from './Icon';
import type { Selection } from './selection';
import { SkeletonRows } from './Sidebar';
import type { ItemSummary, Subscription } from './types';
import type { ItemListState } from './useItemList';

interface ItemListProps {
  title: string;
  selection: Selection;
  list: ItemListState;
  selectedId: string | undefined;
  unread: number | undefined;
  /** The selected feed, for its status and "refresh now". */
  feed: Subscription | undefined;
  hasFeeds: boolean;
  search: string;
  searchRef: RefObject<HTMLInputElement | null>;
  unreadOnly: boolean;
  markingAll: boolean;
  refreshing: boolean;
  inactive: boolean;
  showBack: boolean;
  onBack: () => void;
  onSearch: (q: string) => void;
  onUnreadOnly: (value: boolean) => void;
  onOpen: (item: ItemSummary) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  onRefresh: () => void;
  onMarkAllRead: () => void;
  onManage: () => void;
  onSubscribe: () => void;
}

/** The middle pane: what the selection holds, newest first, with search and bulk actions. */
export function ItemList(props: ItemListProps) {
  const { list, selection, selectedId, search } = props;
  const scoped = selection.kind === 'folder' || selection.kind === 'feed';
  const selectedRef = useRef<HTMLButtonElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // j/k move the selection: keep it in view. Scrolls this list only (scrollIntoView would
  // also scroll the phone layout's clipped container sideways).
  useEffect(() => {
    const row = selectedRef.current;
    const body = bodyRef.current;
    if (row === null || body === null) return;
    const top = row.offsetTop;
    const bottom = top + row.offsetHeight;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (bottom > body.scrollTop + body.clientHeight) body.scrollTop = bottom - body.clientHeight;
  }, [selectedId]);

  // Unread items may sit on pages not loaded yet: the pane's count knows about them.
  const anyUnread = (list.kind === 'ready' && list.items.some((item) => !item.read)) || (props.unread ?? 0) > 0;

  return (
    <section className="pane pane-items" aria-labelledby="items-heading" inert={props.inactive}>
      <header className="list-header">
        <div className="list-title-row">
          {props.showBack && (
            <button type="button" className="icon-button" aria-label="Back to feeds" onClick={props.onBack}>
              <Icon name="back" />
            </button>
          )}
          <div className="list-heading">
            <h2 id="items-heading" className="list-title">
              {props.title}
            </h2>
            <p className="list-meta" aria-live="polite">
              {props.unread === undefined || !props.hasFeeds
                ? ''
                : props.unread === 0
                  ? 'All read'
                  : count(props.unread, 'unread item')}
            </p>
          </div>
          <div className="toolbar">
            <button
              type="button"
              className="icon-button"
              aria-label={selection.kind === 'feed' ? 'Refresh this feed now' : 'Reload the list'}
              title={selection.kind === 'feed' ? 'Refresh this feed now (r)' : 'Reload the list (r)'}
              aria-busy={props.refreshing}
              disabled={props.refreshing}
              onClick={props.onRefresh}
            >
              <Icon name="refresh" />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Mark all as read"
              title="Mark all as read"
              disabled={!anyUnread || props.markingAll}
              aria-busy={props.markingAll}
              onClick={props.onMarkAllRead}
            >
              <Icon name="check" />
            </button>
            {scoped && (
              <button
                type="button"
                className="icon-button"
                aria-label={selection.kind === 'feed' ? 'Feed settings' : 'Folder settings'}
                title={selection.kind === 'feed' ? 'Feed settings' : 'Folder settings'}
                onClick={props.onManage}
              >
                <Icon name="settings" />
              </button>
            )}
          </div>
        </div>
        <div className="list-controls">
          <div className="search">
            <Icon name="search" />
            <input
              ref={props.searchRef}
              type="search"
              className="input search-input"
              placeholder="Search"
              aria-label={`Search ${props.title}`}
              aria-keyshortcuts="/"
              maxLength={200}
              value={search}
              onChange={(event) => {
                props.onSearch(event.target.value);
              }}
              onKeyDown={(event) => {
                // Escape leaves the box so j/k work again; a second one clears it.
                if (event.key === 'Escape') {
                  if (search === '') event.currentTarget.blur();
                  else props.onSearch('');
                }
              }}
            />
          </div>
          {scoped && (
            <div className="segmented" role="group" aria-label="Show">
              <button
                type="button"
                aria-pressed={!props.unreadOnly}
                onClick={() => {
                  props.onUnreadOnly(false);
                }}
              >
                All
              </button>
              <button
                type="button"
                aria-pressed={props.unreadOnly}
                onClick={() => {
                  props.onUnreadOnly(true);
                }}
              >
                Unread
              </button>
            </div>
          )}
        </div>
        {props.feed?.status.lastError != null && (
          <p className="feed-error">
            <Icon name="alert" />
            <span>
              Last fetch failed: {props.feed.status.lastError}{' '}
              <button type="button" className="link-button" onClick={props.onManage}>
                Details
              </button>
            </span>
          </p>
        )}
      </header>

      <div
        ref={bodyRef}
        className="list-body"
        aria-busy={list.kind === 'loading' || (list.kind === 'ready' && list.refreshing)}
      >
        {list.kind === 'loading' && <SkeletonRows count={8} tall />}
        {list.kind === 'error' && (
          <div role="alert" className="alert list-alert">
            <p>Could not load the items. {list.message}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              Try again
            </button>
          </div>
        )}
        {list.kind === 'ready' && list.items.length === 0 && (
          <div className="list-empty">
            <EmptyHint {...props} />
          </div>
        )}
        {list.kind === 'ready' && list.items.length > 0 && (
          <>
            <ul className="item-list">
              {list.items.map((item) => {
                const selected = item.id === selectedId;
                return (
                  <li key={item.id}>
                    <button
                      type="button"
                      ref={selected ? selectedRef : undefined}
                      className={['item-row', item.read ? 'item-read' : 'item-unread', selected ? 'item-selected' : '']
                        .join(' ')
                        .trim()}
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => {
                        props.onOpen(item);
                      }}
                    >
                      <span className="item-meta">
                        {!item.read && <span className="unread-dot" aria-label="Unread" />}
                        <span className="item-feed">{item.feedTitle}</span>
                        <time className="item-age" dateTime={item.publishedAt} title={fullDateTime(item.publishedAt)}>
                          {itemAge(item.publishedAt)}
                        </time>
                        {item.starred && (
                          <span className="item-star" aria-label="Starred">
                            <Icon name="star" filled />
                          </span>
                        )}
                      </span>
                      <span className="item-title">{item.title === '' ? '(untitled)' : item.title}</span>
                      {item.snippet !== '' && <span className="item-snippet">{item.snippet}</span>}
                    </button>
                  </li>
                );
              })}
            </ul>
            <div className="list-end">
              {list.nextCursor !== null ? (
                <>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    disabled={list.more === 'loading'}
                    aria-busy={list.more === 'loading'}
                    onClick={props.onLoadMore}
                  >
                    {list.more === 'loading' ? 'Loading…' : 'Load more'}
                  </button>
                  {list.more === 'failed' && <p className="field-error">Could not load more. Try again.</p>}
                </>
              ) : (
                <p className="list-end-text">{count(list.items.length, 'item')} · that’s everything</p>
              )}
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function EmptyHint({ selection, search, hasFeeds, unreadOnly, onSubscribe, onSearch }: ItemListProps) {
  if (search.trim() !== '') {
    return (
      <EmptyState title={`Nothing matches “${search.trim()}”`}>
        Try other words, or{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onSearch('');
          }}
        >
          clear the search
        </button>
        .
      </EmptyState>
    );
  }
  if (!hasFeeds) {
    return (
      <EmptyState title="Nothing to read yet">
        <button type="button" className="link-button" onClick={onSubscribe}>
          Subscribe to a feed
        </button>{' '}
        and its newest posts show up here.
      </EmptyState>
    );
  }
  if (selection.kind === 'starred') {
    return <EmptyState title="No starred items">Star an item (press s) to keep it here.</EmptyState>;
  }
  if (selection.kind === 'unread' || unreadOnly) {
    return <EmptyState title="All caught up">There is nothing unread here.</EmptyState>;
  }
  return <EmptyState title="No items yet">New posts will show up here after the next fetch.</EmptyState>;
}
