import { fetch } from 'undici';
import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import { appFetch, cookieValue } from '../support/browser-app.js';
import { appServer } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { REFRESH_COOKIE } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { currentCredentialId, signedInBrowser, whoAmI } from '../support/sign-in.js';
import { spa } from '../support/spa.js';

// Refresh-token reuse: a thief copies the refresh token, the browser goes on refreshing, the
// thief presents the old one. That is theft (RFC 9700 §4.14.2): the whole family dies, the
// browser's newer tokens included. The e2e servers use a 1 s grace window (default 10 s).
const AFTER_GRACE_MS = 1_500;

for (const mode of ['jwt-cookie', 'memory-token'] as const) {
  test(
    `${mode}: a rotated refresh token replayed by a thief revokes the whole family, the browser's tokens included`,
    scorecard('refresh-reuse', mode, 'Detected: token_reused, whole family revoked'),
    async ({ contexts }) => {
      const { context, page, server, account } = await signedInBrowser(contexts, mode);
      const familyId = await currentCredentialId(page, mode);
      const stolen = await cookieValue(context, server, REFRESH_COOKIE);

      const rotated =
        mode === 'memory-token' ? await spa(page, 'refresh') : await appFetch(page, 'POST', '/api/auth/refresh');
      expect(rotated.status).toBe(200);
      const current = await cookieValue(context, server, REFRESH_COOKIE);
      expect(current).not.toBe(stolen);
      await page.waitForTimeout(AFTER_GRACE_MS);

      const origin = mode === 'memory-token' ? new URL(page.url()).origin : server.origin;
      const replay = await fetch(`${server.origin}/api/auth/refresh`, {
        method: 'POST',
        headers: { Cookie: `${REFRESH_COOKIE}=${stolen}`, Origin: origin },
      });
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as { code: string }).code).toBe('token_reused');

      // The browser's own, newer credentials died with the family.
      expect((await whoAmI(page, mode)).status).toBe(401);
      const again =
        mode === 'memory-token' ? await spa(page, 'refresh') : await appFetch(page, 'POST', '/api/auth/refresh');
      expect(again.status).toBe(401);
      const state = new ServerState(server);
      try {
        const family = state.family(familyId);
        expect(family?.revoked_at).not.toBeNull();
        expect(family?.revoked_reason).toMatch(/reuse/);
        expect(state.familyOfRefreshToken(current)?.id).toBe(familyId);
        expect(state.liveFamilies(account.userId)).toEqual([]);
      } finally {
        state.close();
      }
    },
  );
}

test(
  'bearer: a rotated refresh token replayed after the grace window revokes the family',
  scorecard('refresh-reuse', 'bearer', 'Detected: token_reused, whole family revoked'),
  async () => {
    const server = appServer('session');
    const account = await createAccount(server, 'native-reuse');
    const native = new NativeClient(server.origin);
    const first = await native.signIn(account.email, account.password);
    const rotated = await native.refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { access_token: string; refresh_token: string };
    await new Promise((resolve) => setTimeout(resolve, AFTER_GRACE_MS));

    const replay = await native.refresh(first.refresh_token);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('token_reused');
    expect((await native.request('GET', '/api/auth/me', { bearer: second.access_token })).status).toBe(401);
    expect((await native.refresh(second.refresh_token)).status).toBe(401);
    const state = new ServerState(server);
    try {
      expect(state.familyOfRefreshToken(second.refresh_token)?.revoked_at).not.toBeNull();
      expect(state.liveFamilies(account.userId)).toEqual([]);
    } finally {
      state.close();
    }
  },
);
