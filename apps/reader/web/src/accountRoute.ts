import { useEffect, useState } from 'react';

/*
 * The app's pages are plain paths (the server answers every page path with the app): the
 * account page at /account, so it can be bookmarked and the browser's back button leaves
 * it, and the pages mail links open, which work signed in or out.
 */

export type Page = 'reader' | 'account' | 'reset-password' | 'verify-email' | 'confirm-email';

const ACCOUNT_PATH = '/account';
// Not "reader:…": that reads as a translation key to the translations test.
const NAVIGATED = 'reader-navigated';
const PAGES: Readonly<Record<string, Page>> = {
  [ACCOUNT_PATH]: 'account',
  '/reset-password': 'reset-password',
  '/verify-email': 'verify-email',
  '/confirm-email': 'confirm-email',
};

function currentPage(): Page {
  return PAGES[window.location.pathname] ?? 'reader';
}

function navigated(): void {
  window.dispatchEvent(new Event(NAVIGATED));
}

export function openAccount(): void {
  if (currentPage() === 'account') return;
  window.history.pushState({ accountPage: true }, '', ACCOUNT_PATH);
  navigated();
}

/** Back to the reader: a real "back" when the reader opened the page, else a new entry. */
export function closeAccount(): void {
  const state: unknown = window.history.state;
  if (typeof state === 'object' && state !== null && 'accountPage' in state) {
    window.history.back();
    return;
  }
  window.history.pushState(null, '', '/');
  navigated();
}

/**
 * To the reader, replacing this entry: from a mail link's page (its token is spent, so
 * "back" should not open it again) or a deleted account's page.
 */
export function replaceWithReader(): void {
  window.history.replaceState(null, '', '/');
  navigated();
}

/** Which page is showing; follows links, back and forward. */
export function usePage(): Page {
  const [page, setPage] = useState(currentPage);
  useEffect(() => {
    const update = () => {
      setPage(currentPage());
    };
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return page;
}
