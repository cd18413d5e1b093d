/*
 * Mail links carry their single-use token in the URL fragment (`/reset-password#token=…`):
 * a fragment is never sent to the server, nor in a Referer. It must not stay in the address
 * bar either, where history, bookmarks, screen sharing and browser sync would keep it. So
 * this module, imported before anything renders, takes it out of the URL at once and keeps
 * it in memory only. A reload of the page then finds no token: the user opens the link again.
 */

/** The pages a mail link opens. */
export const LINK_PATHS = ['/reset-password', '/verify-email', '/confirm-email'] as const;

function takeTokenFromUrl(): string | undefined {
  const { pathname, hash } = window.location;
  if (!(LINK_PATHS as readonly string[]).includes(pathname) || hash === '') return undefined;
  const token = new URLSearchParams(hash.slice(1)).get('token') ?? undefined;
  window.history.replaceState(null, '', pathname);
  return token === '' ? undefined : token;
}

const token = takeTokenFromUrl();

// A link opened in a tab already showing its page changes only the fragment: no page load
// happens, so make one, and the token is taken out as above.
window.addEventListener('hashchange', () => {
  if (new URLSearchParams(window.location.hash.slice(1)).has('token')) window.location.reload();
});

/** The token the page was opened with, if this page load came from a mail link. */
export function linkToken(): string | undefined {
  return token;
}
