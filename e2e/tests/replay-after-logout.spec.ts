import type { Page } from '@playwright/test';
import { fetch } from 'undici';
import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import type { AppServerInfo } from '../support/app-servers.js';
import { appServer } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES, CREDENTIAL_COOKIES, REFRESH_COOKIE, SESSION_COOKIE } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { signedInBrowser, signOut, whoAmI } from '../support/sign-in.js';
import { spa } from '../support/spa.js';

// Replay after logout: take the credential out of the browser, let the user sign out in the
// browser, replay it from a clean client. The seed's table says JWTs stay usable until `exp`;
// here they must not.

/** The SPA's access token, read off the Authorization header of its own next request. */
async function capturedAccessToken(page: Page, server: AppServerInfo): Promise<string> {
  const [request] = await Promise.all([
    page.waitForRequest((candidate) => candidate.url() === `${server.origin}/api/auth/me`),
    spa(page, 'me'),
  ]);
  const header = await request.headerValue('authorization');
  if (header?.startsWith('Bearer ') !== true) throw new Error('the SPA sent no bearer token');
  return header.slice('Bearer '.length);
}

async function replay(server: AppServerInfo, headers: Record<string, string>, path = '/api/auth/me', method = 'GET') {
  const response = await fetch(`${server.origin}${path}`, { method, headers: { Origin: server.origin, ...headers } });
  await response.body?.cancel();
  return response.status;
}

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: credentials captured from the browser are refused (401) once the user has signed out`,
    scorecard('replay-after-logout', mode, 'Blocked: 401 at once after logout'),
    async ({ contexts }) => {
      const { context, page, server, account } = await signedInBrowser(contexts, mode);
      const jar = await context.cookies([server.origin, `${server.origin}/api/auth/refresh`]);
      const stolen = new Map(
        jar.filter((cookie) => CREDENTIAL_COOKIES[mode].includes(cookie.name)).map((c) => [c.name, c.value]),
      );
      expect([...stolen.keys()].sort()).toEqual([...CREDENTIAL_COOKIES[mode]].sort());
      const accessToken = mode === 'memory-token' ? await capturedAccessToken(page, server) : undefined;
      const cookieHeader = [...stolen].map(([name, value]) => `${name}=${value}`).join('; ');

      // Before logout the stolen credential works from anywhere: the replay below is a real test.
      const live: Record<string, string> =
        accessToken === undefined ? { Cookie: cookieHeader } : { Authorization: `Bearer ${accessToken}` };
      expect(await replay(server, live)).toBe(200);

      await signOut(page, mode);
      expect((await whoAmI(page, mode)).status).toBe(401);

      expect(await replay(server, live)).toBe(401);
      expect(await replay(server, { Cookie: cookieHeader })).toBe(401);
      const refresh = stolen.get(REFRESH_COOKIE);
      if (refresh !== undefined) {
        expect(await replay(server, { Cookie: `${REFRESH_COOKIE}=${refresh}` }, '/api/auth/refresh', 'POST')).toBe(401);
      }

      const state = new ServerState(server);
      try {
        const session = stolen.get(SESSION_COOKIE);
        if (session !== undefined) expect(state.sessionOfCookie(session)).toBeUndefined();
        if (refresh !== undefined) expect(state.familyOfRefreshToken(refresh)?.revoked_at).not.toBeNull();
        expect(state.sessions(account.userId)).toEqual([]);
        expect(state.liveFamilies(account.userId)).toEqual([]);
      } finally {
        state.close();
      }
    },
  );
}

test(
  'bearer: a native client’s access and refresh tokens are refused (401) once it has signed out',
  scorecard('replay-after-logout', 'bearer', 'Blocked: 401 at once after logout (family revoked, jti denied)'),
  async () => {
    const server = appServer('session');
    const account = await createAccount(server, 'native-replay');
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(account.email, account.password);
    expect(await replay(server, { Authorization: `Bearer ${tokens.access_token}` })).toBe(200);

    const logout = await native.request('POST', '/api/auth/logout', { bearer: tokens.access_token });
    expect(logout.status).toBe(204);

    expect(await replay(server, { Authorization: `Bearer ${tokens.access_token}` })).toBe(401);
    expect((await native.refresh(tokens.refresh_token)).status).toBe(401);
    const state = new ServerState(server);
    try {
      expect(state.familyOfRefreshToken(tokens.refresh_token)?.revoked_at).not.toBeNull();
      expect(state.liveFamilies(account.userId)).toEqual([]);
    } finally {
      state.close();
    }
  },
);
