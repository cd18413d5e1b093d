import { useCallback, useEffect, useRef, useState } from 'react';

export type Pane = 'feeds' | 'items' | 'article';

const DEPTH: Record<Pane, number> = { feeds: 0, items: 1, article: 2 };

function paneInHistory(): Pane | undefined {
  const state: unknown = window.history.state;
  if (typeof state !== 'object' || state === null || !('readerPane' in state)) return undefined;
  const pane = state.readerPane;
  return pane === 'feeds' || pane === 'items' || pane === 'article' ? pane : undefined;
}

/**
 * On a phone one pane shows at a time. Going deeper adds a history entry, so the phone's
 * own back gesture walks back out (article → list → feeds) instead of leaving the app.
 */
export function usePaneNavigation(isPhone: boolean) {
  const [pane, setPane] = useState<Pane>(() => paneInHistory() ?? 'feeds');
  const current = useRef(pane);
  useEffect(() => {
    current.current = pane;
  });

  useEffect(() => {
    const onPopState = () => {
      setPane(paneInHistory() ?? 'feeds');
    };
    window.addEventListener('popstate', onPopState);
    return () => {
      window.removeEventListener('popstate', onPopState);
    };
  }, []);

  const show = useCallback(
    (next: Pane) => {
      if (isPhone && next !== current.current) {
        if (DEPTH[next] > DEPTH[current.current]) window.history.pushState({ readerPane: next }, '');
        else window.history.replaceState({ readerPane: next }, '');
      }
      current.current = next;
      setPane(next);
    },
    [isPhone],
  );

  const back = useCallback(() => {
    if (paneInHistory() !== undefined) {
      window.history.back();
      return;
    }
    setPane((shown) => (shown === 'article' ? 'items' : 'feeds'));
  }, []);

  return { pane, show, back };
}
