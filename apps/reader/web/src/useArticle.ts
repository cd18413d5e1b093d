import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { ArticleState } from './ArticleView';
import { i18n } from './i18n';
import type { ItemSummary } from './types';

interface UseArticleOptions {
  /** Keeps the item list in step with a change made to the open article. */
  patchItem: (itemId: string, changes: Partial<ItemSummary>) => void;
  /** Keeps the unread counts in step: -1 when an item is read, +1 when unread again. */
  adjustUnread: (subscriptionId: string, delta: number) => void;
  /** Reports a failed change (or ends the session on a 401). */
  complain: (prefix: string, error: unknown) => void;
  /** Turns a failed load into one sentence (or ends the session on a 401). */
  failed: (error: unknown) => string;
}

/**
 * The open article and the read/star marks of items. Marks change on screen first and
 * then on the server; a failure puts them back and says so.
 */
export function useArticle({ patchItem, adjustUnread, complain, failed }: UseArticleOptions) {
  const [article, setArticle] = useState<ArticleState>({ kind: 'none' });
  const openId = article.kind === 'ready' ? article.item.id : article.kind === 'none' ? undefined : article.itemId;
  // Which article is wanted now, for answers that arrive after the user moved on.
  const wanted = useRef(openId);
  useEffect(() => {
    wanted.current = openId;
  });

  const patchShown = useCallback((itemId: string, changes: Partial<ItemSummary>) => {
    setArticle((shown) =>
      shown.kind === 'ready' && shown.item.id === itemId
        ? { kind: 'ready', item: { ...shown.item, ...changes } }
        : shown,
    );
  }, []);

  const setRead = useCallback(
    (item: ItemSummary, read: boolean) => {
      if (item.read === read) return;
      patchItem(item.id, { read });
      patchShown(item.id, { read });
      adjustUnread(item.subscriptionId, read ? -1 : 1);
      api.updateItem(item.id, { read }).catch((error: unknown) => {
        patchItem(item.id, { read: !read });
        patchShown(item.id, { read: !read });
        adjustUnread(item.subscriptionId, read ? 1 : -1);
        complain(i18n.t(read ? 'reader:article.markReadFailed' : 'reader:article.markUnreadFailed'), error);
      });
    },
    [patchItem, patchShown, adjustUnread, complain],
  );

  const setStarred = useCallback(
    (item: ItemSummary, starred: boolean) => {
      patchItem(item.id, { starred });
      patchShown(item.id, { starred });
      api.updateItem(item.id, { starred }).catch((error: unknown) => {
        patchItem(item.id, { starred: !starred });
        patchShown(item.id, { starred: !starred });
        complain(i18n.t(starred ? 'reader:article.starFailed' : 'reader:article.unstarFailed'), error);
      });
    },
    [patchItem, patchShown, complain],
  );

  const open = useCallback(
    (summary: ItemSummary) => {
      wanted.current = summary.id;
      setArticle({ kind: 'loading', itemId: summary.id });
      // Opening an item reads it: the list and counts say so at once.
      const markingRead = !summary.read;
      if (markingRead) setRead(summary, true);
      api.item(summary.id).then(
        (item) => {
          if (wanted.current !== summary.id) return;
          // The GET may overtake the PATCH that marks it read: the user's intent wins.
          setArticle({ kind: 'ready', item: markingRead ? { ...item, read: true } : item });
        },
        (error: unknown) => {
          const message = failed(error);
          if (wanted.current === summary.id) setArticle({ kind: 'error', itemId: summary.id, message });
        },
      );
    },
    [setRead, failed],
  );

  const close = useCallback(() => {
    setArticle({ kind: 'none' });
  }, []);

  const current = article.kind === 'ready' ? article.item : undefined;
  return { article, openId, current, open, close, setRead, setStarred };
}
