import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { Folder, Subscription } from './types';

export type LibraryState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; folders: Folder[]; subscriptions: Subscription[] };

/**
 * The user's folders and subscriptions with their unread counts: the left pane's data.
 * Counts move locally the moment an item is read (no flicker), and `reload` asks the
 * server again after anything that changes more than one item.
 */
export function useLibrary(failed: (error: unknown) => string) {
  const [state, setState] = useState<LibraryState>({ kind: 'loading' });
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const request = ++latest.current;
    try {
      const [folders, subscriptions] = await Promise.all([api.folders(), api.subscriptions()]);
      if (request === latest.current) setState({ kind: 'ready', folders, subscriptions });
    } catch (error) {
      const message = failed(error);
      // Keep what is shown if this was a background refresh; only a first load shows the error.
      if (request === latest.current)
        setState((previous) => (previous.kind === 'ready' ? previous : { kind: 'error', message }));
    }
  }, [failed]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const retry = useCallback(() => {
    setState({ kind: 'loading' });
    void reload();
  }, [reload]);

  /** An item of this subscription was marked read (-1) or unread (+1). */
  const adjustUnread = useCallback((subscriptionId: string, delta: number) => {
    setState((previous) => {
      if (previous.kind !== 'ready') return previous;
      const subscription = previous.subscriptions.find((s) => s.id === subscriptionId);
      if (subscription === undefined) return previous;
      const bump = (n: number) => Math.max(0, n + delta);
      return {
        kind: 'ready',
        subscriptions: previous.subscriptions.map((s) =>
          s === subscription ? { ...s, unreadCount: bump(s.unreadCount) } : s,
        ),
        folders: previous.folders.map((f) =>
          f.id === subscription.folderId ? { ...f, unreadCount: bump(f.unreadCount) } : f,
        ),
      };
    });
  }, []);

  /** A subscription came back from the server new or changed (renamed, moved, refreshed). */
  const putSubscription = useCallback((subscription: Subscription) => {
    setState((previous) => {
      if (previous.kind !== 'ready') return previous;
      const known = previous.subscriptions.some((s) => s.id === subscription.id);
      return {
        ...previous,
        subscriptions: known
          ? previous.subscriptions.map((s) => (s.id === subscription.id ? subscription : s))
          : [...previous.subscriptions, subscription],
      };
    });
  }, []);

  return { state, reload, retry, adjustUnread, putSubscription };
}
