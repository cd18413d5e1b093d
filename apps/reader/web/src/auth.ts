import { createAuthClient } from '@gatehouse/client';

/**
 * The app's one auth client. It talks to the page's own origin (the session cookie is
 * HttpOnly, so this code never sees it) and keeps the CSRF token between calls.
 */
export const auth = createAuthClient();
