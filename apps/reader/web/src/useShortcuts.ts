import { useEffect, useRef } from 'react';

export interface Shortcut {
  keys: string;
  /** The translation key of what it does. */
  description: string;
}

/** The list the help overlay shows; the handler keys below are the same letters. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'j', description: 'reader:shortcuts.next' },
  { keys: 'k', description: 'reader:shortcuts.previous' },
  { keys: 'o', description: 'reader:shortcuts.open' },
  { keys: 'm', description: 'reader:shortcuts.read' },
  { keys: 's', description: 'reader:shortcuts.star' },
  { keys: 'r', description: 'reader:shortcuts.refresh' },
  { keys: '/', description: 'reader:shortcuts.search' },
  { keys: '?', description: 'reader:shortcuts.help' },
];

export type ShortcutHandlers = Partial<Record<'j' | 'k' | 'o' | 'm' | 's' | 'r' | '/' | '?', () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // Checkboxes and buttons take no text: letters typed there are still shortcuts.
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type);
}

/**
 * Single-key shortcuts on the whole page, ignored while typing in a field, with a modifier
 * held (the browser's own shortcuts), or while a modal dialog is open.
 */
export function useShortcuts(handlers: ShortcutHandlers, enabled: boolean) {
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]') !== null) return;
      const handler = handlersRef.current[event.key as keyof ShortcutHandlers];
      if (handler === undefined) return;
      event.preventDefault(); // "/" must not land in the search box it focuses.
      handler();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [enabled]);
}
