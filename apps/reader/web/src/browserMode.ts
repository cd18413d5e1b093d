import type { AuthMode } from '@gatehouse/client';

/*
 * Which browser mode the server runs (GATEHOUSE_BROWSER_MODE) is a deployment setting this
 * app cannot read before signing in, yet a page load needs it: in memory-token mode the page
 * must refresh to get its access token, in the cookie modes it must not. Every sign-in answer
 * says the mode (`session.kind`, and the SDK follows it), so the app remembers the last one
 * here and starts the next page load in it. It is the mode's name only, never a credential.
 * No server change needed; after an operator switches modes, users sign in once more and
 * the hint follows.
 */

const KEY = 'gatehouse.browserMode';
const MODES: readonly string[] = ['session', 'jwt-cookie', 'memory-token'];

export function rememberedMode(): AuthMode {
  try {
    const value = localStorage.getItem(KEY);
    return value !== null && MODES.includes(value) ? (value as AuthMode) : 'session';
  } catch {
    return 'session'; // storage disabled: the default, and the sign-in answer corrects it
  }
}

export function rememberMode(mode: AuthMode): void {
  try {
    if (localStorage.getItem(KEY) !== mode) localStorage.setItem(KEY, mode);
  } catch {
    // Storage disabled: the next page load starts in the default mode.
  }
}
