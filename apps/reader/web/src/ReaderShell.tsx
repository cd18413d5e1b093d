import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { User } from '@gatehouse/client';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { ArticleView } from './ArticleView';
import { describeError, isSessionEnded } from './errors';
import { FeedSettingsDialog } from './FeedSettingsDialog';
import { FiltersDialog } from './FiltersDialog';
import { FolderDialog } from './FolderDialog';
import { ItemList } from './ItemList';
import { useLinkedItem } from './itemLink';
import { opmlFailure, OpmlResultDialog, type OpmlOutcome } from './OpmlResultDialog';
import { queryFor, sameSelection, titleFor, unreadIn, type Selection } from './selection';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { SubscribeDialog } from './SubscribeDialog';
import { Toast, useToast } from './Toast';
import { ShellNotice } from './ShellNotice';
import { Topbar } from './Topbar';
import type { ItemSummary, Subscription } from './types';
import { useArticle } from './useArticle';
import { useItemList } from './useItemList';
import { useLibrary } from './useLibrary';
import { PHONE_QUERY, useMediaQuery } from './useMediaQuery';
import { usePaneNavigation } from './usePaneNavigation';
import { usePreference } from './usePreference';
import { useReadOnScroll } from './useReadOnScroll';
import { useShortcuts } from './useShortcuts';
import { useTags } from './useTags';
import { VerifyEmailBanner } from './VerifyEmailBanner';

interface ReaderShellProps {
  user: User;
  /** Said once above the reader, e.g. after a password reset. */
  notice?: string | undefined;
  onDismissNotice: () => void;
  /** The server knows better (the address was verified in another tab): fetch the user again. */
  onUserStale: () => void;
  onSignedOut: () => void;
  onSessionEnded: () => void;
}

type OpenDialog =
  | { kind: 'subscribe' }
  | { kind: 'feed'; id: string }
  | { kind: 'folder'; id: string | undefined }
  | { kind: 'shortcuts' }
  | { kind: 'filters' }
  | { kind: 'opml'; outcome: OpmlOutcome };

const OPML_MAX_BYTES = 1024 * 1024;
const SEARCH_DELAY_MS = 250;
/** "Refresh now" and imports are queued on the server: look again once they have likely run. */
const REFRESH_RECHECK_MS = 3000;

/** The signed-in app: feeds | items | article on a desktop, one of them at a time on a phone. */
export function ReaderShell(props: ReaderShellProps) {
  const { user, onSignedOut, onSessionEnded } = props;
  const { t } = useTranslation();
  const toast = useToast();
  const showToast = toast.show;

  /** A 401 means the session is gone: back to sign-in. Anything else becomes one sentence. */
  const failed = useCallback(
    (error: unknown) => {
      if (isSessionEnded(error)) onSessionEnded();
      return describeError(error).message;
    },
    [onSessionEnded],
  );
  const endedSession = useCallback(
    (error: unknown) => {
      if (!isSessionEnded(error)) return false;
      onSessionEnded();
      return true;
    },
    [onSessionEnded],
  );
  const complain = useCallback(
    (prefix: string, error: unknown) => {
      if (!endedSession(error)) showToast(`${prefix} ${describeError(error).message}`, 'error');
    },
    [endedSession, showToast],
  );

  const library = useLibrary(failed);
  const { reload: reloadLibrary, adjustUnread, putSubscription } = library;
  const folders = library.state.kind === 'ready' ? library.state.folders : [];
  const subscriptions = library.state.kind === 'ready' ? library.state.subscriptions : [];
  const tagList = useTags(failed);

  const [selection, setSelection] = useState<Selection>({ kind: 'all' });
  const [unreadOnly, setUnreadOnly] = usePreference('reader.unreadOnly', false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search);
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [search]);

  const query = useMemo(() => queryFor(selection, unreadOnly, q), [selection, unreadOnly, q]);
  const [listVersion, setListVersion] = useState(0);
  const reloadList = useCallback(() => {
    setListVersion((n) => n + 1);
  }, []);
  const list = useItemList(query, listVersion, failed);
  const { patchItem } = list;
  const items = list.state.kind === 'ready' ? list.state.items : [];

  const article = useArticle({ patchItem, adjustUnread, complain, failed });
  const readOnScroll = useReadOnScroll({ items, patchItem, adjustUnread, complain });
  const { openId, current: currentItem, setRead, setStarred } = article;

  const isPhone = useMediaQuery(PHONE_QUERY);
  const navigation = usePaneNavigation(isPhone);
  const [dialog, setDialog] = useState<OpenDialog | undefined>();
  const closeDialog = useCallback(() => {
    setDialog(undefined);
  }, []);
  const [markingAll, setMarkingAll] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [importing, setImporting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // The tab title counts what is unread, as mail and feed readers do.
  const totalUnread = subscriptions.reduce((sum, s) => sum + s.unreadCount, 0);
  useEffect(() => {
    document.title = totalUnread > 0 ? `(${String(totalUnread)}) Gatehouse Reader` : 'Gatehouse Reader';
    return () => {
      document.title = 'Gatehouse Reader';
    };
  }, [totalUnread]);

  const selectedFeed = selection.kind === 'feed' ? subscriptions.find((s) => s.id === selection.id) : undefined;

  function select(next: Selection) {
    if (!sameSelection(next, selection)) {
      setSelection(next);
      // A new list starts with no article open: one from the old list would stay beside a
      // list that does not hold it (issue 19). "via <feed>" from the article keeps it.
      if (!(next.kind === 'feed' && next.id === currentItem?.subscriptionId)) article.close();
      setSearch('');
      setQ('');
    }
    navigation.show('items');
  }

  function openItem(summary: ItemSummary) {
    article.open(summary);
    navigation.show('article');
  }
  useLinkedItem(openItem, (error) => {
    complain(t('onboarding:itemLink.failed'), error);
  });

  const openIndex = items.findIndex((item) => item.id === openId);
  const step = (delta: 1 | -1) => {
    if (list.state.kind !== 'ready') return;
    const next = openIndex === -1 ? (delta === 1 ? 0 : -1) : openIndex + delta;
    const target = items[next];
    if (target !== undefined) openItem(target);
    else if (delta === 1 && list.state.nextCursor !== null) list.loadMore();
  };

  /** Counts and list again, after work the server does in the background. */
  function recheck() {
    void reloadLibrary();
    reloadList();
  }

  async function refresh() {
    setRefreshing(true);
    try {
      if (selectedFeed !== undefined) {
        putSubscription(await api.refreshSubscription(selectedFeed.id));
        showToast(t('reader:shell.checking', { title: selectedFeed.title }));
        setTimeout(recheck, REFRESH_RECHECK_MS);
      }
      void reloadLibrary();
      reloadList();
    } catch (error) {
      complain(t('reader:shell.refreshFailed'), error);
    }
    setRefreshing(false);
  }

  async function markAllRead() {
    if (list.state.kind !== 'ready' || list.state.items.length === 0) return;
    // Only what the user has seen: an item published after the newest one shown stays unread.
    const upTo = list.state.items.reduce((max, item) => (item.publishedAt > max ? item.publishedAt : max), '');
    setMarkingAll(true);
    try {
      const marked = await api.markAllRead(query, upTo);
      showToast(
        marked === 0
          ? t('reader:shell.nothingToMark')
          : t('reader:shell.marked', { items: t('reader:count.items', { count: marked }) }),
      );
      for (const item of items) if (!item.read) patchItem(item.id, { read: true });
      await reloadLibrary();
      if (query.view === 'unread') reloadList();
    } catch (error) {
      complain(t('reader:shell.markFailed'), error);
    }
    setMarkingAll(false);
  }

  async function importOpml(file: File) {
    if (file.size > OPML_MAX_BYTES) {
      setDialog({
        kind: 'opml',
        outcome: { kind: 'failed', message: t('reader:opml.tooLarge'), saysNothingImported: false },
      });
      return;
    }
    setImporting(true);
    try {
      const result = await api.importOpml(await file.text());
      setDialog({ kind: 'opml', outcome: { kind: 'imported', result } });
      void reloadLibrary();
      reloadList();
      // Imported feeds are fetched by the scheduler, not before the answer: look again.
      if (result.imported > 0) setTimeout(recheck, REFRESH_RECHECK_MS);
    } catch (error) {
      if (!endedSession(error)) setDialog({ kind: 'opml', outcome: opmlFailure(t, error) });
    }
    setImporting(false);
  }

  function onSubscribed(subscription: Subscription, { open }: { open: boolean }) {
    const known = subscriptions.some((s) => s.id === subscription.id);
    putSubscription(subscription); // named in the list at once; counts follow from the reload
    void reloadLibrary();
    reloadList();
    if (!open) return;
    setDialog(undefined);
    showToast(
      known
        ? t('reader:shell.alreadyFollow', { title: subscription.title })
        : t('reader:shell.subscribed', { title: subscription.title }),
    );
    select({ kind: 'feed', id: subscription.id });
  }

  function forgetSelection(removed: (selection: Selection) => boolean) {
    if (removed(selection)) {
      setSelection({ kind: 'all' });
      navigation.show('items');
    }
  }

  useShortcuts(
    {
      j: () => {
        step(1);
      },
      k: () => {
        step(-1);
      },
      o: () => {
        if (currentItem?.url != null) window.open(currentItem.url, '_blank', 'noopener,noreferrer');
      },
      m: () => {
        if (currentItem !== undefined) setRead(currentItem, !currentItem.read);
      },
      s: () => {
        if (currentItem !== undefined) setStarred(currentItem, !currentItem.starred);
      },
      r: () => {
        if (!refreshing) void refresh();
      },
      '/': () => {
        if (navigation.pane === 'feeds') navigation.show('items');
        searchRef.current?.focus({ preventScroll: true });
        searchRef.current?.select();
      },
      '?': () => {
        setDialog({ kind: 'shortcuts' });
      },
    },
    dialog === undefined,
  );

  const paneClass = isPhone ? `panes panes-phone show-${navigation.pane}` : 'panes';
  const dialogFeed = dialog?.kind === 'feed' ? subscriptions.find((s) => s.id === dialog.id) : undefined;
  const dialogFolder =
    dialog?.kind === 'folder' && dialog.id !== undefined ? folders.find((f) => f.id === dialog.id) : undefined;

  return (
    <div className="shell">
      <Topbar
        user={user}
        onShowShortcuts={() => {
          setDialog({ kind: 'shortcuts' });
        }}
        onSignedOut={onSignedOut}
        complain={complain}
      />
      {props.notice !== undefined && <ShellNotice text={props.notice} onDismiss={props.onDismissNotice} />}
      <VerifyEmailBanner user={user} onVerified={props.onUserStale} />

      <div className={paneClass}>
        <Sidebar
          library={library.state}
          selection={selection}
          inactive={isPhone && navigation.pane !== 'feeds'}
          onSelect={select}
          onRetry={library.retry}
          onSubscribe={() => {
            setDialog({ kind: 'subscribe' });
          }}
          onNewFolder={() => {
            setDialog({ kind: 'folder', id: undefined });
          }}
          onImportOpml={(file) => {
            void importOpml(file);
          }}
          importing={importing}
          tags={tagList.tags}
          onOpenFilters={() => {
            setDialog({ kind: 'filters' });
          }}
        />
        <main className="pane-main">
          <ItemList
            title={titleFor(selection, library.state)}
            selection={selection}
            list={list.state}
            selectedId={openId}
            unread={unreadIn(selection, library.state)}
            feed={selectedFeed}
            hasFeeds={subscriptions.length > 0}
            search={search}
            searchRef={searchRef}
            unreadOnly={unreadOnly}
            markingAll={markingAll}
            refreshing={refreshing}
            inactive={isPhone && navigation.pane !== 'items'}
            showBack={isPhone}
            onBack={navigation.back}
            onSearch={setSearch}
            onUnreadOnly={(next) => {
              setUnreadOnly(next);
              // Only a folder's or a feed's list has the filter (queryFor): that list changes.
              if (next !== unreadOnly && (selection.kind === 'feed' || selection.kind === 'folder')) article.close();
            }}
            onOpen={openItem}
            onLoadMore={list.loadMore}
            onScrolledPast={readOnScroll}
            onRetry={reloadList}
            onRefresh={() => {
              void refresh();
            }}
            onMarkAllRead={() => {
              void markAllRead();
            }}
            onManage={() => {
              if (selection.kind === 'feed') setDialog({ kind: 'feed', id: selection.id });
              if (selection.kind === 'folder') setDialog({ kind: 'folder', id: selection.id });
            }}
            onSubscribe={() => {
              setDialog({ kind: 'subscribe' });
            }}
          />
          <ArticleView
            article={article.article}
            listIsEmpty={list.state.kind === 'ready' && items.length === 0}
            inactive={isPhone && navigation.pane !== 'article'}
            showBack={isPhone}
            hasPrevious={openIndex > 0}
            hasNext={
              openIndex !== -1 &&
              (openIndex < items.length - 1 || (list.state.kind === 'ready' && list.state.nextCursor !== null))
            }
            onBack={navigation.back}
            onPrevious={() => {
              step(-1);
            }}
            onNext={() => {
              step(1);
            }}
            onToggleRead={() => {
              if (currentItem !== undefined) setRead(currentItem, !currentItem.read);
            }}
            onToggleStar={() => {
              if (currentItem !== undefined) setStarred(currentItem, !currentItem.starred);
            }}
            onRetry={() => {
              const summary = items.find((item) => item.id === openId);
              if (summary !== undefined) openItem(summary);
            }}
            onShowFeed={(subscriptionId) => {
              select({ kind: 'feed', id: subscriptionId });
            }}
            onTagsSaved={(itemId, tags) => {
              patchItem(itemId, { tags });
              void tagList.reload();
            }}
            onSessionEnded={endedSession}
          />
        </main>
      </div>

      <Toast toast={toast.toast} onDismiss={toast.dismiss} />

      {dialog?.kind === 'subscribe' && (
        <SubscribeDialog
          folders={folders}
          subscriptions={subscriptions}
          initialFolderId={selection.kind === 'folder' ? selection.id : null}
          onSubscribed={onSubscribed}
          onSessionEnded={endedSession}
          onClose={closeDialog}
        />
      )}
      {dialogFeed !== undefined && (
        <FeedSettingsDialog
          subscription={dialogFeed}
          folders={folders}
          onSaved={(subscription) => {
            putSubscription(subscription);
            void reloadLibrary();
            reloadList();
          }}
          onUnsubscribed={(subscriptionId) => {
            setDialog(undefined);
            showToast(t('reader:shell.unsubscribed', { title: dialogFeed.title }));
            forgetSelection((shown) => shown.kind === 'feed' && shown.id === subscriptionId);
            if (currentItem?.subscriptionId === subscriptionId) article.close();
            void reloadLibrary();
            reloadList();
          }}
          onSessionEnded={endedSession}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'folder' && (dialog.id === undefined || dialogFolder !== undefined) && (
        <FolderDialog
          folder={dialogFolder}
          feedCount={
            dialogFolder === undefined ? 0 : subscriptions.filter((s) => s.folderId === dialogFolder.id).length
          }
          onSaved={(folder) => {
            setDialog(undefined);
            showToast(
              dialogFolder === undefined
                ? t('reader:shell.folderCreated', { name: folder.name })
                : t('reader:shell.folderRenamed', { name: folder.name }),
            );
            void reloadLibrary();
          }}
          onDeleted={(folderId) => {
            setDialog(undefined);
            showToast(t('reader:shell.folderDeleted'));
            forgetSelection((shown) => shown.kind === 'folder' && shown.id === folderId);
            void reloadLibrary();
          }}
          onSessionEnded={endedSession}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'shortcuts' && <ShortcutsDialog onClose={closeDialog} />}
      {dialog?.kind === 'filters' && (
        <FiltersDialog
          subscriptions={subscriptions}
          onChanged={() => {
            // What the rules hide changes lists, unread counts and tag counts at once.
            void reloadLibrary();
            void tagList.reload();
            reloadList();
          }}
          onSessionEnded={endedSession}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'opml' && <OpmlResultDialog outcome={dialog.outcome} onClose={closeDialog} />}
    </div>
  );
}
