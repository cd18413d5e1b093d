import type { BrowserContext, Page } from '@playwright/test';
import { createAccount, type Account } from './accounts.js';
import type { AppServerInfo } from './app-servers.js';
import { appFetch, signInThroughUi, signOutThroughUi } from './browser-app.js';
import { appServer, sites } from './environment.js';
import type { ContextOptions, Contexts } from './fixtures.js';
import type { BrowserMode } from './modes.js';
import { openSpa, spa } from './spa.js';

/**
 * A user signed in in a real browser, the way each mode's client signs in: the reader's own
 * sign-in form (session, jwt-cookie) or the cross-site SPA (memory-token).
 */
export interface SignedInBrowser {
  mode: BrowserMode;
  server: AppServerInfo;
  account: Account;
  context: BrowserContext;
  /** The app's page, or the SPA's page in memory-token mode. */
  page: Page;
}

export async function signedInBrowser(
  contexts: Contexts,
  mode: BrowserMode,
  account?: Account,
  options: ContextOptions = {},
): Promise<SignedInBrowser> {
  const server = appServer(mode);
  const user = account ?? (await createAccount(server, `victim-${mode}`));
  const context = await contexts.open(mode, options);
  return { mode, server, account: user, context, page: await signInWith(context, mode, user) };
}

/** Signs `account` in within an existing context (a planted cookie, a second device…). */
export async function signInWith(context: BrowserContext, mode: BrowserMode, account: Account): Promise<Page> {
  const server = appServer(mode);
  if (mode === 'memory-token') {
    const page = await openSpa(context, sites().spa, server);
    const result = await spa(page, 'signIn', account.email, account.password);
    if (result.status !== 200) throw new Error(`SPA sign-in: ${String(result.status)} ${JSON.stringify(result.body)}`);
    return page;
  }
  const page = await context.newPage();
  await signInThroughUi(page, server, account);
  return page;
}

/** GET /api/auth/me from the signed-in page, with the mode's own credential. */
export async function whoAmI(page: Page, mode: BrowserMode): Promise<{ status: number; body: unknown }> {
  if (mode === 'memory-token') return spa(page, 'me');
  return appFetch(page, 'GET', '/api/auth/me');
}

/** The public id of the page's session or token family (what /sessions lists). */
export async function currentCredentialId(page: Page, mode: BrowserMode): Promise<string> {
  const me = await whoAmI(page, mode);
  const id = (me.body as { session?: { id?: string } } | null)?.session?.id;
  if (me.status !== 200 || id === undefined) throw new Error(`not signed in: ${String(me.status)}`);
  return id;
}

/** Signs out as the user would: the Sign out button, or the SPA's logout. */
export async function signOut(page: Page, mode: BrowserMode): Promise<void> {
  if (mode === 'memory-token') {
    const result = await spa(page, 'logout');
    if (result.status !== 204) throw new Error(`SPA logout: ${String(result.status)}`);
    return;
  }
  await signOutThroughUi(page);
}
