import { useEffect, useRef } from 'react';
import { api } from './api';
import type { ItemSummary } from './types';

const PARAM = 'item';

/**
 * An article's own address in the reader ("Open in reader", as the seed's article view has
 * "在惯性聚合中打开"): to keep, share with oneself, or open in another tab. Signed out, the
 * address waits through sign-in, and the reader then opens the article.
 */
export function itemLink(itemId: string): string {
  return `/?${PARAM}=${encodeURIComponent(itemId)}`;
}

/**
 * Opens the article an address names (itemLink), once the reader is up. The address is the
 * reader's own again after it opened, so a reload does not open it a second time. Another
 * user's item is a 404 like any other: `failed` says so.
 */
export function useLinkedItem(open: (item: ItemSummary) => void, failed: (error: unknown) => void): void {
  // The latest callbacks, without reopening the link when they change.
  const callbacks = useRef({ open, failed });
  useEffect(() => {
    callbacks.current = { open, failed };
  });
  useEffect(() => {
    const itemId = new URLSearchParams(window.location.search).get(PARAM);
    if (itemId === null || itemId === '') return;
    let current = true;
    const forget = () => {
      const url = new URL(window.location.href);
      url.searchParams.delete(PARAM);
      window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    };
    api.item(itemId).then(
      (item) => {
        if (!current) return;
        forget();
        callbacks.current.open(item);
      },
      (error: unknown) => {
        if (!current) return;
        forget();
        callbacks.current.failed(error);
      },
    );
    return () => {
      current = false;
    };
  }, []);
}
