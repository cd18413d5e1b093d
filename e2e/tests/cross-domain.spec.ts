import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import { appServer, sites } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES, REFRESH_COOKIE } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { signedInBrowser, whoAmI } from '../support/sign-in.js';
import { openSpa, spa } from '../support/spa.js';

// Cross-domain use: a single-page app on another site than the API (127.0.0.1 vs localhost).
// memory-token is the mode made for it: it must work from the allow-listed origin, fail from
// any other, and keep the access token out of everything script can persist or read later.
// The same-site modes offer nothing to another site, and native clients need no site at all.

/** The access token in the body of the next /login or /refresh answer the page receives. */
async function tokenFrom(page: Page, path: string, action: () => Promise<unknown>): Promise<string> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => new URL(candidate.url()).pathname === path),
    action(),
  ]);
  const body = (await response.json()) as { access_token?: string };
  if (body.access_token === undefined) throw new Error(`${path} answered no access token`);
  return body.access_token;
}

/** Everything script on the page can read back later: both Web Storages, IndexedDB, cookies, Cache Storage. */
function scriptReadableStorage(page: Page) {
  return page.evaluate(async () => {
    const dump = (storage: Storage) => Object.fromEntries(Object.entries(storage));
    const databases: Record<string, Record<string, unknown[]>> = {};
    for (const { name } of await indexedDB.databases()) {
      if (name === undefined) continue;
      databases[name] = await new Promise((resolve) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => {
          const stores: Record<string, unknown[]> = {};
          const names = [...open.result.objectStoreNames];
          if (names.length === 0) resolve(stores);
          for (const store of names) {
            const all = open.result.transaction(store).objectStore(store).getAll();
            all.onsuccess = () => {
              stores[store] = all.result;
              if (Object.keys(stores).length === names.length) resolve(stores);
            };
          }
        };
        open.onerror = () => {
          resolve({});
        };
      });
    }
    const cached: string[] = [];
    for (const key of await caches.keys()) {
      for (const request of await (await caches.open(key)).keys()) cached.push(request.url);
    }
    return {
      cookie: document.cookie,
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      indexedDB: databases,
      cacheStorage: cached,
    };
  });
}

test(
  'memory-token: the SPA on the allow-listed origin signs in, calls the API and refreshes; the access token is in no storage API or script-readable cookie',
  scorecard(
    'cross-domain',
    'memory-token',
    'Works from the allow-listed origin only; access token in page memory only',
  ),
  async ({ contexts }) => {
    const server = appServer('memory-token');
    const account = await createAccount(server, 'cross-domain-spa');
    const context = await contexts.open('memory-token');
    const page = await openSpa(context, sites().spa, server);

    const [login] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === `${server.origin}/api/auth/login`),
      spa(page, 'signIn', account.email, account.password).then((result) => {
        expect(result.status).toBe(200);
      }),
    ]);
    // CORS names the SPA exactly, with credentials: never `*`.
    expect(login.headers()['access-control-allow-origin']).toBe(sites().spa);
    expect(login.headers()['access-control-allow-credentials']).toBe('true');
    const signInToken = ((await login.json()) as { access_token: string }).access_token;
    expect((await spa(page, 'me')).status).toBe(200);
    const refreshedToken = await tokenFrom(page, '/api/auth/refresh', () => spa(page, 'refresh'));
    expect(refreshedToken).not.toBe(signInToken);
    expect((await spa(page, 'me')).status).toBe(200);

    const readable = JSON.stringify(await scriptReadableStorage(page));
    for (const token of [signInToken, refreshedToken]) {
      expect(readable).not.toContain(token);
      // The signature alone would do for a thief who keeps the rest: look for it too.
      expect(readable).not.toContain(token.split('.')[2]);
    }
    // The jar (HttpOnly included): the refresh cookie is the only credential, and no cookie
    // of any site holds an access token.
    const jar = await context.cookies();
    for (const cookie of jar) {
      for (const token of [signInToken, refreshedToken]) expect(cookie.value, cookie.name).not.toContain(token);
    }
    const refresh = jar.find((cookie) => cookie.name === REFRESH_COOKIE);
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('None');
    expect(jar.filter((cookie) => !cookie.httpOnly).map((cookie) => cookie.name)).not.toContain(REFRESH_COOKIE);

    // A reload loses the in-memory token; the HttpOnly refresh cookie brings a new one.
    await page.reload();
    await page.waitForFunction(() => 'spa' in window);
    expect((await spa(page, 'me')).status).toBe(401);
    expect((await spa(page, 'refresh')).status).toBe(200);
    expect((await spa(page, 'me')).status).toBe(200);
  },
);

test(
  'memory-token: the same SPA on an origin that is not allow-listed can neither sign in nor use the signed-in browser’s refresh cookie',
  scorecard(
    'cross-domain',
    'memory-token',
    'Works from the allow-listed origin only; access token in page memory only',
  ),
  async ({ contexts }) => {
    const server = appServer('memory-token');
    // The victim is signed in through the real SPA: the browser holds a live refresh cookie
    // that every cross-site request to the API carries (SameSite=None).
    const userAgent = `Mozilla/5.0 HeadlessChrome e2e-cross-domain/${randomUUID()}`;
    const { context, page, account } = await signedInBrowser(contexts, 'memory-token', undefined, { userAgent });
    const state = new ServerState(server);
    try {
      const before = state.snapshot(account.userId);
      const rogue = await openSpa(context, sites().rogueSpa, server);
      // Preflighted or not, the browser lets the rogue page read none of the answers.
      expect(await spa(rogue, 'signIn', account.email, account.password)).toMatchObject({ status: 0 });
      expect(await spa(rogue, 'refresh')).toMatchObject({ status: 0 });
      expect(await spa(rogue, 'me')).toMatchObject({ status: 0 });
      expect(await spa(rogue, 'sessions')).toMatchObject({ status: 0 });
      // The refresh was a simple request, so it did reach the server, cookie and all: the
      // Origin check refused it before rotating anything.
      expect(state.auditReasons('csrf_rejected', userAgent)).toEqual(['origin_untrusted']);
      expect(state.snapshot(account.userId)).toEqual(before);
      expect(state.liveFamilies(account.userId)).toHaveLength(1);
      // The allowed SPA in the same browser is unaffected.
      expect((await whoAmI(page, 'memory-token')).status).toBe(200);
      expect((await spa(page, 'refresh')).status).toBe(200);
    } finally {
      state.close();
    }
  },
);

for (const mode of BROWSER_MODES.filter((candidate) => candidate !== 'memory-token')) {
  test(
    `${mode}: a page on another site cannot sign in to the API or read it with the signed-in user’s cookies`,
    scorecard('cross-domain', mode, 'Not possible: no CORS for other sites, SameSite cookies'),
    async ({ contexts }) => {
      const { context, page, server, account } = await signedInBrowser(contexts, mode);
      const state = new ServerState(server);
      try {
        const before = state.snapshot(account.userId);
        const other = await openSpa(context, sites().spa, server);
        expect(await spa(other, 'signIn', account.email, account.password)).toMatchObject({ status: 0 });
        expect(await spa(other, 'me')).toMatchObject({ status: 0 });
        expect(await spa(other, 'sessions')).toMatchObject({ status: 0 });
        expect(await spa(other, 'refresh')).toMatchObject({ status: 0 });
        expect(state.snapshot(account.userId)).toEqual(before);
        expect((await whoAmI(page, mode)).status).toBe(200);
      } finally {
        state.close();
      }
    },
  );
}

test(
  'bearer: a native client’s Authorization header works against every deployment, with no cookie and no Origin',
  scorecard('cross-domain', 'bearer', 'Works via Authorization header, any deployment'),
  async () => {
    for (const mode of BROWSER_MODES) {
      const server = appServer(mode);
      const account = await createAccount(server, `native-cross-${mode}`);
      const native = new NativeClient(server.origin);
      const tokens = await native.signIn(account.email, account.password);
      const me = await native.request('GET', '/api/auth/me', { bearer: tokens.access_token });
      expect(me.status, mode).toBe(200);
      expect(((await me.json()) as { user: { email: string } }).user.email).toBe(account.email);
      expect((await native.request('GET', '/api/auth/me')).status, mode).toBe(401);
    }
  },
);
