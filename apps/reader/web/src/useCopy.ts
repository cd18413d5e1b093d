import { useCallback, useState } from 'react';

/** 'failed': the clipboard was refused, and the text was selected for Ctrl+C instead. */
export type CopyState = 'no' | 'yes' | 'failed';

/**
 * A Copy button's state for a secret shown once (a key, an app password, recovery codes).
 * Where the clipboard is refused (no permission, an old browser), `select` puts the text on
 * screen selected, so Ctrl+C or a phone's own Copy still works.
 */
export function useCopy(): { copied: CopyState; copy: (text: string, select: () => void) => Promise<void> } {
  const [copied, setCopied] = useState<CopyState>('no');
  const copy = useCallback(async (text: string, select: () => void) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      select();
      setCopied('failed');
    }
  }, []);
  return { copied, copy };
}

/** Selects an element's text (a `<code>` or a list), as the fallback of `useCopy`. */
export function selectContents(element: HTMLElement | null): void {
  if (element !== null) window.getSelection()?.selectAllChildren(element);
}
