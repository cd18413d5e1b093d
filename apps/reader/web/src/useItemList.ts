import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { ItemQuery, ItemSummary } from './types';

export type ItemListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | {
      kind: 'ready';
      items: ItemSummary[];
      nextCursor: string | null;
      more: 'idle' | 'loading' | 'failed';
      /** The same list is being fetched again: keep showing it meanwhile, no jump. */
      refreshing: boolean;
    };

/**
 * One page of items for the query, then more on demand (cursor pagination). A newer query
 * wins over an older answer still on its way, so fast typing in search never shows stale
 * results.
 */
export function useItemList(query: ItemQuery, reloadKey: number, failed: (error: unknown) => string) {
  const [state, setState] = useState<ItemListState>({ kind: 'loading' });
  const latest = useRef(0);
  const shownKey = useRef('');
  const { view, subscriptionId, folderId, q, tag } = query;

  useEffect(() => {
    const request = ++latest.current;
    const key = JSON.stringify([view, subscriptionId, folderId, q, tag]);
    const sameList = key === shownKey.current;
    shownKey.current = key;
    setState((previous) =>
      sameList && previous.kind === 'ready' ? { ...previous, refreshing: true } : { kind: 'loading' },
    );
    api.items({ view, subscriptionId, folderId, q, tag }).then(
      (page) => {
        if (request === latest.current) setState({ kind: 'ready', ...page, more: 'idle', refreshing: false });
      },
      (error: unknown) => {
        const message = failed(error);
        if (request === latest.current) setState({ kind: 'error', message });
      },
    );
  }, [view, subscriptionId, folderId, q, tag, reloadKey, failed]);

  const loadMore = useCallback(() => {
    if (state.kind !== 'ready' || state.nextCursor === null || state.more === 'loading') return;
    const request = latest.current;
    const cursor = state.nextCursor;
    setState({ ...state, more: 'loading' });
    api.items({ view, subscriptionId, folderId, q, tag }, cursor).then(
      (page) => {
        if (request !== latest.current) return;
        setState((previous) => {
          if (previous.kind !== 'ready') return previous;
          // An item may shift onto the next page while reading marks others: show it once.
          const seen = new Set(previous.items.map((item) => item.id));
          const fresh = page.items.filter((item) => !seen.has(item.id));
          return { ...previous, items: [...previous.items, ...fresh], nextCursor: page.nextCursor, more: 'idle' };
        });
      },
      (error: unknown) => {
        failed(error);
        if (request === latest.current) {
          setState((previous) => (previous.kind === 'ready' ? { ...previous, more: 'failed' } : previous));
        }
      },
    );
  }, [state, view, subscriptionId, folderId, q, tag, failed]);

  /** Keep the list in step with a change made elsewhere (article toolbar, shortcut). */
  const patchItem = useCallback((itemId: string, changes: Partial<ItemSummary>) => {
    setState((previous) =>
      previous.kind === 'ready'
        ? { ...previous, items: previous.items.map((item) => (item.id === itemId ? { ...item, ...changes } : item)) }
        : previous,
    );
  }, []);

  return { state, loadMore, patchItem };
}
