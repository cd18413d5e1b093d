import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AuthMode } from '../types.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../../../test-support/test-browser.js';
import { serversPerTest, type TestServer } from '../../../../test-support/test-server.js';
import { chromiumPerFile, FAST_PASSWORDS } from './browser-fixture.js';
import { openTab, recordRequests, sdk, serveTestPage, statusOf, waitForStatus } from './sdk-pages.js';

const MINUTE = 60_000;

const start = serversPerTest();
const chromium = chromiumPerFile();

/** A server in `mode` and a browser whose tabs load the test page from the server's own origin. */
async function setUp(mode: AuthMode): Promise<{ server: TestServer; context: BrowserContext }> {
  const server = await start({ env: { GATEHOUSE_BROWSER_MODE: mode }, passwordParams: FAST_PASSWORDS });
  const context = await chromium.newContext();
  await serveTestPage(context, server.origin);
  return { server, context };
}

async function openTabs(
  context: BrowserContext,
  server: TestServer,
  mode: AuthMode,
  count: number,
): Promise<[Page, ...Page[]]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i += 1) tabs.push(await openTab(context, server.origin, server.origin, mode));
  return tabs as [Page, ...Page[]];
}

describe('session mode in Chromium', () => {
  it('a session revoked from another device: signed out on the next request, with no refresh attempt', async () => {
    const { server, context } = await setUp('session');
    const [tab] = (await openTabs(context, server, 'session', 1)) as [Page];
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const email = uniqueEmail('session-revoked');
    const { session } = await sdk(tab, 'signUp', email, GOOD_PASSWORD);
    expect((await sdk(tab, 'changeSomething')).status).toBe(200); // the CSRF token is attached

    const otherDevice = await chromium.newContext();
    await serveTestPage(otherDevice, server.origin);
    const [otherTab] = (await openTabs(otherDevice, server, 'session', 1)) as [Page];
    await sdk(otherTab, 'signIn', email, GOOD_PASSWORD);
    await sdk(otherTab, 'revokeSession', session.id);

    expect((await sdk(tab, 'whoami')).status).toBe(401);
    await waitForStatus(tab, 'signed out: expired');
    expect(refreshes).toHaveLength(0);
  });

  it('signing out in one tab signs out the others', async () => {
    const { server, context } = await setUp('session');
    const [first, second] = (await openTabs(context, server, 'session', 2)) as [Page, Page];
    await sdk(first, 'signUp', uniqueEmail('session-logout'), GOOD_PASSWORD);
    expect((await sdk(second, 'whoami')).status).toBe(200); // the shared cookie

    await sdk(first, 'signOut');

    await waitForStatus(second, 'signed out: other-tab');
    expect(await statusOf(first)).toBe('signed out: signed-out');
    expect((await sdk(second, 'whoami')).status).toBe(401);
  });

  it('revoking the current session from the list is signing out', async () => {
    const { server, context } = await setUp('session');
    const [first, second] = (await openTabs(context, server, 'session', 2)) as [Page, Page];
    const { user, session } = await sdk(first, 'signUp', uniqueEmail('session-self'), GOOD_PASSWORD);

    await sdk(first, 'revokeSession', session.id);

    expect(await statusOf(first)).toBe('signed out: signed-out');
    await waitForStatus(second, 'signed out: other-tab');
    expect(await server.stores.sessions.listForUser(user.id)).toEqual([]);
  });
});

describe('jwt-cookie mode in Chromium', () => {
  it('five tabs whose access cookie expired, all calling at once: one refresh, under the lock, no reuse', async () => {
    const { server, context } = await setUp('jwt-cookie');
    const tabs = await openTabs(context, server, 'jwt-cookie', 5);
    const { session } = await sdk(tabs[0], 'signUp', uniqueEmail('jwt-five'), GOOD_PASSWORD);
    for (const tab of tabs) expect((await sdk(tab, 'whoami')).status).toBe(200);

    server.advance(11 * MINUTE);
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const answers = await Promise.all(tabs.map((tab) => sdk(tab, 'changeSomething')));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refreshes).toHaveLength(1);
    expect((await server.stores.tokenFamilies.findFamily(session.id))?.generation).toBe(2);
    expect(await server.stores.audit.list({ type: 'refresh_reused' })).toEqual([]);
  });

  it('a sign-in revoked from another device: the refresh fails too, and the tab shows signed out', async () => {
    const { server, context } = await setUp('jwt-cookie');
    const [tab] = (await openTabs(context, server, 'jwt-cookie', 1)) as [Page];
    const refreshes = recordRequests(context, '/api/auth/refresh');
    const email = uniqueEmail('jwt-revoked');
    const { session } = await sdk(tab, 'signUp', email, GOOD_PASSWORD);

    const otherDevice = await chromium.newContext();
    await serveTestPage(otherDevice, server.origin);
    const [otherTab] = (await openTabs(otherDevice, server, 'jwt-cookie', 1)) as [Page];
    await sdk(otherTab, 'signIn', email, GOOD_PASSWORD);
    await sdk(otherTab, 'revokeSession', session.id);

    expect((await sdk(tab, 'whoami')).status).toBe(401);
    await waitForStatus(tab, 'signed out: expired');
    expect(refreshes).toHaveLength(1); // one try, refused: the family is revoked
  });
});
