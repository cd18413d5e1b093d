import type { BrowserContext, Page, Response } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, uniqueEmail } from '../../../../test-support/test-browser.js';
import { serversPerTest, type TestServer } from '../../../../test-support/test-server.js';
import { chromiumPerFile, FAST_PASSWORDS } from './browser-fixture.js';
import { openTab, recordRequests, sdk, serveTestPage, SPA_ORIGIN, statusOf, waitForStatus } from './sdk-pages.js';

const MINUTE = 60_000;

const start = serversPerTest();
const chromium = chromiumPerFile();
let server: TestServer;
let context: BrowserContext;

beforeEach(async () => {
  server = await start({
    env: { GATEHOUSE_BROWSER_MODE: 'memory-token', TRUSTED_ORIGINS: SPA_ORIGIN },
    passwordParams: FAST_PASSWORDS,
  });
  context = await chromium.newContext();
  await serveTestPage(context, SPA_ORIGIN);
});

/** Tabs of the SPA (another origin than the API), all open before anyone signs in. */
async function openTabs(count: number, inContext = context): Promise<[Page, ...Page[]]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i += 1) tabs.push(await openTab(inContext, SPA_ORIGIN, server.origin, 'memory-token'));
  return tabs as [Page, ...Page[]];
}

async function familyOf(sessionId: string) {
  const family = await server.stores.tokenFamilies.findFamily(sessionId);
  if (family === undefined) throw new Error(`no token family ${sessionId}`);
  return family;
}

/** The access tokens the server handed out in this context (sign-in and refresh bodies). */
function recordIssuedTokens(inContext: BrowserContext): string[] {
  const tokens: string[] = [];
  inContext.on('response', (response: Response) => {
    if (!/\/api\/auth\/(signup|login|refresh|password)$/.test(response.url()) || !response.ok()) return;
    void response
      .json()
      .then((body: { access_token?: string }) => {
        if (body.access_token !== undefined) tokens.push(body.access_token);
      })
      .catch(() => undefined);
  });
  return tokens;
}

describe('memory-token mode in Chromium: one refresh at a time across tabs', () => {
  it('hands the sign-in to every open tab without a refresh', async () => {
    const tabs = await openTabs(3);
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const email = uniqueEmail('tabs');
    await sdk(tabs[0], 'signUp', email, GOOD_PASSWORD);

    for (const tab of tabs) {
      expect(await sdk(tab, 'whoami')).toMatchObject({ status: 200, body: { email, credential: 'bearer' } });
    }
    expect(refreshes).toHaveLength(0);
  });

  it('five tabs whose token is about to expire, all calling at once: exactly one rotation', async () => {
    await context.clock.install();
    const tabs = await openTabs(5);
    const issued = recordIssuedTokens(context);
    const { session } = await sdk(tabs[0], 'signUp', uniqueEmail('five'), GOOD_PASSWORD);
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(200);
    expect((await familyOf(session.id)).generation).toBe(1);

    // 9.5 of the token's 10 minutes later, in the pages and at the server: due for renewal.
    await context.clock.setSystemTime(Date.now() + 9.5 * MINUTE);
    server.advance(9.5 * MINUTE);
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const calls = recordRequests(context, '/api/test/whoami');

    const answers = await Promise.all(tabs.map((tab) => sdk(tab, 'whoami')));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refreshes).toHaveLength(1);
    expect((await familyOf(session.id)).generation).toBe(2);
    expect((await familyOf(session.id)).revokedAt).toBeNull();
    expect(await server.stores.audit.list({ type: 'refresh_reused' })).toEqual([]);
    // Every tab called with the one new token, handed over by the tab that refreshed.
    const newToken = issued.at(-1);
    expect(issued).toHaveLength(2);
    expect(calls.map((call) => call.headers().authorization)).toEqual(Array(5).fill(`Bearer ${String(newToken)}`));

    // And each keeps working once the old token is long gone.
    server.advance(2 * MINUTE);
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(200);
    expect(refreshes).toHaveLength(1);
  });

  it('five tabs whose token the server already considers expired: one rotation on the 401s, no reuse', async () => {
    const tabs = await openTabs(5);
    const { session } = await sdk(tabs[0], 'signUp', uniqueEmail('expired'), GOOD_PASSWORD);
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(200);

    // The pages think the token has minutes left; the server says it expired (and the
    // refresh grace window is long past, so a second use of a refresh token would be reuse).
    server.advance(11 * MINUTE);
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const answers = await Promise.all(tabs.map((tab) => sdk(tab, 'whoami')));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refreshes).toHaveLength(1);
    expect((await familyOf(session.id)).generation).toBe(2);
    expect(await server.stores.audit.list({ type: 'refresh_reused' })).toEqual([]);
    for (const tab of tabs) expect((await sdk(tab, 'changeSomething')).status).toBe(200);
  });
});

describe('memory-token mode in Chromium: signing out', () => {
  it('signing out in one tab signs out every tab, and none of them tries to refresh', async () => {
    const tabs = await openTabs(3);
    const [first, second, third] = tabs as [Page, Page, Page];
    const { session } = await sdk(first, 'signUp', uniqueEmail('logout'), GOOD_PASSWORD);
    const refreshes = recordRequests(context, '/api/auth/refresh');

    await sdk(second, 'signOut');

    await waitForStatus(first, 'signed out: other-tab');
    await waitForStatus(third, 'signed out: other-tab');
    expect(await statusOf(second)).toBe('signed out: signed-out');
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(401);
    expect(refreshes).toHaveLength(0);
    expect((await familyOf(session.id)).revokedAt).not.toBeNull();
  });

  it('a sign-in revoked from another device: this tab shows signed out on its next request', async () => {
    const [tab] = (await openTabs(1)) as [Page];
    const email = uniqueEmail('revoked');
    const { session } = await sdk(tab, 'signUp', email, GOOD_PASSWORD);

    const otherDevice = await chromium.newContext();
    await serveTestPage(otherDevice, SPA_ORIGIN);
    const [otherTab] = (await openTabs(1, otherDevice)) as [Page];
    await sdk(otherTab, 'signIn', email, GOOD_PASSWORD);
    await sdk(otherTab, 'revokeSession', session.id);
    expect(await statusOf(tab)).toBe(`signed in as ${email}`); // nothing tells it yet

    expect((await sdk(tab, 'whoami')).status).toBe(401);
    await waitForStatus(tab, 'signed out: expired');
    expect((await sdk(otherTab, 'whoami')).status).toBe(200); // the other device is untouched
  });
});

describe('memory-token mode in Chromium: where the token lives', () => {
  it('the access token is in no storage API and no readable cookie, only in the Authorization header', async () => {
    const tabs = await openTabs(2);
    const [first, second] = tabs as [Page, Page];
    const issued = recordIssuedTokens(context);
    const calls = recordRequests(context, '/api/test/whoami');
    await sdk(first, 'signUp', uniqueEmail('storage'), GOOD_PASSWORD);
    server.advance(11 * MINUTE); // one refresh, so a rotated token is checked too
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(200);
    expect(issued).toHaveLength(2);
    expect(calls.map((call) => call.headers().authorization)).toContain(`Bearer ${String(issued[1])}`);

    for (const tab of [first, second]) {
      const found = await tab.evaluate(async (tokens) => {
        const places: string[] = [];
        const holds = (value: unknown) => typeof value === 'string' && tokens.some((token) => value.includes(token));
        for (const [name, storage] of [
          ['localStorage', localStorage],
          ['sessionStorage', sessionStorage],
        ] as const) {
          for (let i = 0; i < storage.length; i += 1) {
            const key = storage.key(i) ?? '';
            if (holds(key) || holds(storage.getItem(key))) places.push(name);
          }
        }
        if (holds(document.cookie)) places.push('document.cookie');
        const databases = await indexedDB.databases();
        if (databases.length > 0) places.push(`indexedDB: ${databases.map((db) => String(db.name)).join(', ')}`);
        if ((await caches.keys()).length > 0) places.push('CacheStorage');
        for (const key of Object.getOwnPropertyNames(window)) {
          try {
            const value: unknown = (window as unknown as Record<string, unknown>)[key];
            if (holds(value) || (typeof value === 'object' && value !== null && holds(JSON.stringify(value)))) {
              places.push(`window.${key}`);
            }
          } catch {
            // Cross-origin frames and cyclic objects: not where our token could be.
          }
        }
        return { places, cookie: document.cookie };
      }, issued);
      expect(found).toEqual({ places: [], cookie: '' });
    }
    // The browser's only credential cookie for the API is the HttpOnly refresh token; beside
    // it only the HttpOnly device id, which proves nothing (it tells "new device" notices apart).
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly]).sort()).toEqual([
      ['__Host-gh_device', true],
      ['__Secure-gh_refresh', true],
    ]);
    for (const cookie of cookies) for (const token of issued) expect(cookie.value).not.toContain(token);
  });

  it('a client started in session mode follows the server: the sign-in answer makes it a memory-token client', async () => {
    const tab = await openTab(context, SPA_ORIGIN, server.origin, 'session');
    await sdk(tab, 'signUp', uniqueEmail('follow'), GOOD_PASSWORD);
    expect(await sdk(tab, 'mode')).toBe('memory-token');
    expect(await sdk(tab, 'whoami')).toMatchObject({ status: 200, body: { credential: 'bearer' } });
  });
});
