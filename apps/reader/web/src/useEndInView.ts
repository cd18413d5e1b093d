import { useEffect, useRef, type RefObject } from 'react';

/**
 * Infinite scroll: calls `load` when `end` (the list's footer) comes within one screen of
 * the bottom of the scrolling `root`, so the next page is usually in before the reader gets
 * there. Appending below what is on screen moves nothing: the scroll position and the
 * selection stay. Re-armed for each page (`pageKey`): an end still in view after a short
 * page would fire no new intersection. Off while `canLoad` is false (no next page, one
 * loading, or the last one failed: then the footer's button retries, not a loop).
 */
export function useEndInView(
  root: RefObject<HTMLElement | null>,
  end: RefObject<HTMLElement | null>,
  canLoad: boolean,
  load: () => void,
  pageKey: number,
): void {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const rootElement = root.current;
    const endElement = end.current;
    if (!canLoad || rootElement === null || endElement === null) return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        loadRef.current();
      },
      { root: rootElement, rootMargin: '0px 0px 100% 0px' },
    );
    observer.observe(endElement);
    return () => {
      observer.disconnect();
    };
  }, [root, end, canLoad, pageKey]);
}
