import { useEffect, useState } from 'react';

/*
 * The account page lives at /account (the server answers every page path with the app), so
 * it can be bookmarked and the browser's back button leaves it.
 */

const ACCOUNT_PATH = '/account';
const NAVIGATED = 'reader:navigated';

function isAccountPath(): boolean {
  return window.location.pathname === ACCOUNT_PATH;
}

function navigated(): void {
  window.dispatchEvent(new Event(NAVIGATED));
}

export function openAccount(): void {
  if (isAccountPath()) return;
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

/** Whether the account page is showing; follows links, back and forward. */
export function useAccountRoute(): boolean {
  const [onAccount, setOnAccount] = useState(isAccountPath);
  useEffect(() => {
    const update = () => {
      setOnAccount(isAccountPath());
    };
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return onAccount;
}
