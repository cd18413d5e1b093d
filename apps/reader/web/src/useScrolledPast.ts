import { useEffect, useRef, type RefObject } from 'react';

/** At least this much of a row on screen, and it has been seen. */
const SEEN_RATIO = 0.5;

/**
 * Mark-as-read on scroll, the watching half: reports the rows of the scrolling `root`
 * (elements with data-item-id) that leave it through the top after they were seen, each
 * once. A row never half on screen (jumped over by a fast scroll, or above when the list
 * opened) is never reported: only what the reader could have read. `onPast` undefined
 * switches it off. `rowsKey` changes when rows are added or replaced, to watch the new ones.
 */
export function useScrolledPast(
  root: RefObject<HTMLElement | null>,
  rowsKey: string,
  onPast: ((itemIds: string[]) => void) | undefined,
): void {
  const seen = useRef(new Set<string>());
  const reported = useRef(new Set<string>());
  const onPastRef = useRef(onPast);
  useEffect(() => {
    onPastRef.current = onPast;
  });
  const enabled = onPast !== undefined;

  useEffect(() => {
    const rootElement = root.current;
    if (!enabled || rootElement === null) return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const past: string[] = [];
        for (const entry of entries) {
          const id = entry.target instanceof HTMLElement ? entry.target.dataset.itemId : undefined;
          if (id === undefined) continue;
          if (entry.isIntersecting && entry.intersectionRatio >= SEEN_RATIO) seen.current.add(id);
          const above = !entry.isIntersecting && entry.boundingClientRect.top < (entry.rootBounds?.top ?? 0);
          if (above && seen.current.has(id) && !reported.current.has(id)) {
            reported.current.add(id);
            past.push(id);
          }
        }
        if (past.length > 0) onPastRef.current?.(past);
      },
      { root: rootElement, threshold: [0, SEEN_RATIO] },
    );
    for (const row of rootElement.querySelectorAll('[data-item-id]')) observer.observe(row);
    return () => {
      observer.disconnect();
    };
  }, [root, enabled, rowsKey]);
}
