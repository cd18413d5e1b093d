import { i18n } from './i18n';
import type { LibraryState } from './useLibrary';
import type { ItemQuery } from './types';

/** What the left pane has selected: a built-in view, a folder, one feed or one tag. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'unread' }
  | { kind: 'starred' }
  | { kind: 'folder'; id: string }
  | { kind: 'feed'; id: string }
  /** `id` is the tag's name: the tag view asks for items by name. */
  | { kind: 'tag'; id: string };

export function sameSelection(a: Selection, b: Selection): boolean {
  return a.kind === b.kind && ('id' in a ? a.id : '') === ('id' in b ? b.id : '');
}

/** A folder or a feed shows everything, or only what is unread when the user asks. */
export function queryFor(selection: Selection, unreadOnly: boolean, q: string): ItemQuery {
  const search = q.trim() === '' ? undefined : q.trim();
  switch (selection.kind) {
    case 'all':
    case 'unread':
    case 'starred':
      return { view: selection.kind, q: search };
    case 'folder':
      return { view: unreadOnly ? 'unread' : 'all', folderId: selection.id, q: search };
    case 'feed':
      return { view: unreadOnly ? 'unread' : 'all', subscriptionId: selection.id, q: search };
    case 'tag':
      return { view: 'all', tag: selection.id, q: search };
  }
}

/** The selection's name, in the page's language for the built-in views. */
export function titleFor(selection: Selection, library: LibraryState): string {
  switch (selection.kind) {
    case 'all':
      return i18n.t('reader:views.all');
    case 'unread':
      return i18n.t('reader:views.unread');
    case 'starred':
      return i18n.t('reader:views.starred');
    case 'folder':
      return (
        (library.kind === 'ready' ? library.folders.find((f) => f.id === selection.id)?.name : undefined) ??
        i18n.t('reader:views.folder')
      );
    case 'feed':
      return (
        (library.kind === 'ready' ? library.subscriptions.find((s) => s.id === selection.id)?.title : undefined) ??
        i18n.t('reader:views.feed')
      );
    case 'tag':
      return selection.id;
  }
}

/** Unread items in the selection, as far as the left pane's counts know. */
export function unreadIn(selection: Selection, library: LibraryState): number | undefined {
  if (library.kind !== 'ready') return undefined;
  switch (selection.kind) {
    case 'all':
    case 'unread':
      return library.subscriptions.reduce((sum, s) => sum + s.unreadCount, 0);
    case 'starred':
    case 'tag':
      return undefined;
    case 'folder':
      return library.folders.find((f) => f.id === selection.id)?.unreadCount;
    case 'feed':
      return library.subscriptions.find((s) => s.id === selection.id)?.unreadCount;
  }
}
