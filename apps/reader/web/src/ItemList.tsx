import { useEffect, useRef, type RefObject } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { EmptyState } from './EmptyState';
import { itemAge, fullDateTime } from './format';
import { Icon } from './Icon';
import { ItemThumbnail } from './ItemThumbnail';
import { usePreferences } from './preferences';
import type { Selection } from './selection';
import { serverMessage } from './serverMessage';
import { SkeletonRows } from './Sidebar';
import type { ItemSummary, Subscription } from './types';
import { useEndInView } from './useEndInView';
import type { ItemListState } from './useItemList';
import { useScrolledPast } from './useScrolledPast';

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
  /** Unread rows seen and scrolled out at the top (mark-as-read on scroll, when it is on). */
  onScrolledPast: (itemIds: string[]) => void;
  onRetry: () => void;
  onRefresh: () => void;
  onMarkAllRead: () => void;
  onManage: () => void;
  onSubscribe: () => void;
}

/** The middle pane: what the selection holds, newest first, with search and bulk actions. */
export function ItemList(props: ItemListProps) {
  const { list, selection, selectedId, search } = props;
  const { t } = useTranslation();
  const scoped = selection.kind === 'folder' || selection.kind === 'feed';
  const selectedRef = useRef<HTMLButtonElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const { markReadOnScroll } = usePreferences().preferences;
  const ready = list.kind === 'ready' ? list : undefined;
  const canLoadMore = ready !== undefined && ready.nextCursor !== null && ready.more === 'idle';
  useEndInView(bodyRef, endRef, canLoadMore, props.onLoadMore, ready?.items.length ?? 0);
  const rowsKey = `${String(ready?.items.length ?? 0)}:${ready?.items[0]?.id ?? ''}`;
  useScrolledPast(bodyRef, rowsKey, markReadOnScroll ? props.onScrolledPast : undefined);

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
            <button type="button" className="icon-button" aria-label={t('reader:list.back')} onClick={props.onBack}>
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
                  ? t('reader:list.allRead')
                  : t('reader:list.unread', { count: props.unread })}
            </p>
          </div>
          <div className="toolbar">
            <button
              type="button"
              className="icon-button"
              aria-label={selection.kind === 'feed' ? t('reader:list.refreshFeed') : t('reader:list.reloadList')}
              title={selection.kind === 'feed' ? t('reader:list.refreshFeedTitle') : t('reader:list.reloadListTitle')}
              aria-busy={props.refreshing}
              disabled={props.refreshing}
              onClick={props.onRefresh}
            >
              <Icon name="refresh" />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t('reader:list.markAllRead')}
              title={t('reader:list.markAllRead')}
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
                aria-label={selection.kind === 'feed' ? t('reader:list.feedSettings') : t('reader:list.folderSettings')}
                title={selection.kind === 'feed' ? t('reader:list.feedSettings') : t('reader:list.folderSettings')}
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
              placeholder={t('reader:list.search')}
              aria-label={t('reader:list.searchIn', { title: props.title })}
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
            <div className="segmented" role="group" aria-label={t('reader:list.show')}>
              <button
                type="button"
                aria-pressed={!props.unreadOnly}
                onClick={() => {
                  props.onUnreadOnly(false);
                }}
              >
                {t('reader:list.showAll')}
              </button>
              <button
                type="button"
                aria-pressed={props.unreadOnly}
                onClick={() => {
                  props.onUnreadOnly(true);
                }}
              >
                {t('reader:list.showUnread')}
              </button>
            </div>
          )}
        </div>
        {props.feed?.status.lastError != null && (
          <p className="feed-error">
            <Icon name="alert" />
            <span>
              {t('reader:list.lastFetchFailed', {
                error: serverMessage(
                  t,
                  props.feed.status.lastErrorCode,
                  props.feed.status.lastErrorParams,
                  props.feed.status.lastError,
                ),
              })}{' '}
              <button type="button" className="link-button" onClick={props.onManage}>
                {t('reader:list.details')}
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
            <p>{t('reader:list.loadFailed', { message: list.message })}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              {t('common:tryAgain')}
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
                  <li key={item.id} data-item-id={item.id}>
                    <button
                      type="button"
                      ref={selected ? selectedRef : undefined}
                      className={[
                        'item-row',
                        item.read ? 'item-read' : 'item-unread',
                        selected ? 'item-selected' : '',
                        item.imageUrl !== null ? 'item-row-thumbed' : '',
                      ]
                        .filter((name) => name !== '')
                        .join(' ')}
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => {
                        props.onOpen(item);
                      }}
                    >
                      <span className="item-meta">
                        {!item.read && <span className="unread-dot" aria-label={t('reader:list.unreadMark')} />}
                        <span className="item-feed">{item.feedTitle}</span>
                        <time className="item-age" dateTime={item.publishedAt} title={fullDateTime(item.publishedAt)}>
                          {itemAge(item.publishedAt)}
                        </time>
                        {item.starred && (
                          <span className="item-star" aria-label={t('reader:list.starredMark')}>
                            <Icon name="star" filled />
                          </span>
                        )}
                      </span>
                      <span className="item-title">{item.title === '' ? t('reader:list.untitled') : item.title}</span>
                      {item.snippet !== '' && <span className="item-snippet">{item.snippet}</span>}
                      {item.imageUrl !== null && <ItemThumbnail url={item.imageUrl} />}
                    </button>
                  </li>
                );
              })}
            </ul>
            <div ref={endRef} className="list-end">
              {list.nextCursor !== null ? (
                <>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    disabled={list.more === 'loading'}
                    aria-busy={list.more === 'loading'}
                    onClick={props.onLoadMore}
                  >
                    {list.more === 'loading' ? t('common:loading') : t('reader:list.loadMore')}
                  </button>
                  {list.more === 'failed' && <p className="field-error">{t('reader:list.loadMoreFailed')}</p>}
                </>
              ) : (
                <p className="list-end-text">{t('reader:list.end', { count: list.items.length })}</p>
              )}
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function EmptyHint({ selection, search, hasFeeds, unreadOnly, onSubscribe, onSearch }: ItemListProps) {
  const { t } = useTranslation();
  if (search.trim() !== '') {
    return (
      <EmptyState title={t('reader:list.noMatchTitle', { query: search.trim() })}>
        <Trans
          i18nKey="reader:list.noMatchHint"
          components={{
            clear: (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  onSearch('');
                }}
              />
            ),
          }}
        />
      </EmptyState>
    );
  }
  if (!hasFeeds) {
    return (
      <EmptyState title={t('reader:list.noFeedsTitle')}>
        <Trans
          i18nKey="reader:list.noFeedsHint"
          components={{ subscribe: <button type="button" className="link-button" onClick={onSubscribe} /> }}
        />
      </EmptyState>
    );
  }
  if (selection.kind === 'starred') {
    return <EmptyState title={t('reader:list.noStarredTitle')}>{t('reader:list.noStarredHint')}</EmptyState>;
  }
  if (selection.kind === 'unread' || unreadOnly) {
    return <EmptyState title={t('reader:list.caughtUpTitle')}>{t('reader:list.caughtUpHint')}</EmptyState>;
  }
  return <EmptyState title={t('reader:list.noItemsTitle')}>{t('reader:list.noItemsHint')}</EmptyState>;
}
