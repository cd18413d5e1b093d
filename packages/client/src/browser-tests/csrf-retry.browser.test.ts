import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, uniqueEmail } from '../../../../test-support/test-browser.js';
import { serversPerTest } from '../../../../test-support/test-server.js';
import { chromiumPerFile, FAST_PASSWORDS } from './browser-fixture.js';
import { openTab, recordRequests, sdk, serveTestPage } from './sdk-pages.js';

const start = serversPerTest();
const chromium = chromiumPerFile();

describe('the CSRF token in Chromium (session mode)', () => {
  it('a token made stale behind the client’s back: one csrf_failed, a new token, one retry that succeeds', async () => {
    const server = await start({ passwordParams: FAST_PASSWORDS });
    const context = await chromium.newContext();
    await serveTestPage(context, server.origin);
    const tab = await openTab(context, server.origin, server.origin, 'session');
    await sdk(tab, 'signUp', uniqueEmail('csrf-retry'), GOOD_PASSWORD);
    expect((await sdk(tab, 'changeSomething')).status).toBe(200); // the client now holds a token

    // The session cookie changes without the client knowing (a sign-in by other code on the
    // page): the token the client holds was masked for the old session's secret.
    const relogin = await tab.evaluate(async (password) => {
      const csrf = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
      const me = (await (await fetch('/api/auth/me')).json()) as { user: { email: string } };
      const answer = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken },
        body: JSON.stringify({ email: me.user.email, password }),
      });
      return answer.status;
    }, GOOD_PASSWORD);
    expect(relogin).toBe(200);

    const posts = recordRequests(context, '/api/test/protected');
    const tokenFetches = recordRequests(context, '/api/auth/csrf');
    const answer = await sdk(tab, 'changeSomething');

    expect(answer.status).toBe(200);
    expect(tokenFetches).toHaveLength(1);
    const statuses = await Promise.all(posts.map(async (request) => (await request.response())?.status()));
    expect(statuses).toEqual([403, 200]);
    await context.close();
  });
});
