/** The deployment settings (GATEHOUSE_BROWSER_MODE) each scorecard column runs against. */
export const BROWSER_MODES = ['session', 'jwt-cookie', 'memory-token'] as const;
export type BrowserMode = (typeof BROWSER_MODES)[number];

/** Scorecard columns: the three browser modes, and native clients over plain HTTP. */
export type Column = BrowserMode | 'bearer';

/** The cookies that carry a credential in each browser mode (DESIGN.md, client types). */
export const CREDENTIAL_COOKIES: Readonly<Record<BrowserMode, readonly string[]>> = {
  session: ['__Host-gh_session'],
  'jwt-cookie': ['__Host-gh_access', '__Secure-gh_refresh'],
  'memory-token': ['__Secure-gh_refresh'],
};

export const SESSION_COOKIE = '__Host-gh_session';
export const ACCESS_COOKIE = '__Host-gh_access';
export const REFRESH_COOKIE = '__Secure-gh_refresh';
export const CSRF_COOKIE = '__Host-gh_csrf';
