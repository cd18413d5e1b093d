import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import type { ItemSummary } from './types';

/** Rows scrolled past within this time go to the server in one request. */
const BATCH_DELAY_MS = 1000;
/** The most ids POST /api/items/read takes at once. */
const BATCH_MAX = 100;

interface UseReadOnScrollOptions {
  items: readonly ItemSummary[];
  patchItem: (itemId: string, changes: Partial<ItemSummary>) => void;
  adjustUnread: (subscriptionId: string, delta: number) => void;
  /** Reports a failed change (or ends the session on a 401). */
  complain: (prefix: string, error: unknown) => void;
}

/**
 * Mark-as-read on scroll, the marking half: the unread items scrolled past show as read at
 * once and are sent in batches (one request for everything scrolled past within a second).
 * A batch the server refuses is shown unread again. What is waiting is sent when the list
 * goes away or the page is left.
 */
export function useReadOnScroll({ items, patchItem, adjustUnread, complain }: UseReadOnScrollOptions) {
  const { t } = useTranslation();
  const latest = useRef({ items, patchItem, adjustUnread, complain, t });
  useEffect(() => {
    latest.current = { items, patchItem, adjustUnread, complain, t };
  });
  const waiting = useRef<ItemSummary[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const batch = waiting.current.splice(0, BATCH_MAX);
    if (waiting.current.length > 0) timer.current = setTimeout(flush, 0);
    if (batch.length === 0) return;
    api.markItemsRead(batch.map((item) => item.id)).catch((error: unknown) => {
      const current = latest.current;
      for (const item of batch) {
        current.patchItem(item.id, { read: false });
        current.adjustUnread(item.subscriptionId, 1);
      }
      current.complain(current.t('comfort:markFailed'), error);
    });
  }, []);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  return useCallback(
    (itemIds: string[]) => {
      const current = latest.current;
      for (const id of itemIds) {
        const item = current.items.find((candidate) => candidate.id === id);
        if (item === undefined || item.read) continue;
        current.patchItem(id, { read: true });
        current.adjustUnread(item.subscriptionId, -1);
        waiting.current.push(item);
      }
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, BATCH_DELAY_MS);
    },
    [flush],
  );
}
