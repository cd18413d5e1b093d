import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import { appFetch } from '../support/browser-app.js';
import { appServer } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { currentCredentialId, signedInBrowser, signInWith, whoAmI } from '../support/sign-in.js';
import { spa } from '../support/spa.js';

// Token revocation: the same user on two devices (two browser profiles). The second revokes
// the first from its session list; the first device's very next request is 401 — for JWTs
// too, long before `exp`.

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: a session revoked from another device is refused on that device's next request`,
    scorecard('revocation', mode, 'Immediate: next request 401'),
    async ({ contexts }) => {
      const first = await signedInBrowser(contexts, mode);
      const { server, account } = first;
      const firstId = await currentCredentialId(first.page, mode);
      const secondPage = await signInWith(await contexts.open(mode), mode, account);
      const secondId = await currentCredentialId(secondPage, mode);
      expect(secondId).not.toBe(firstId);
      expect((await whoAmI(first.page, mode)).status).toBe(200);

      const revoked =
        mode === 'memory-token'
          ? await spa(secondPage, 'revoke', firstId)
          : await appFetch(secondPage, 'DELETE', `/api/auth/sessions/${encodeURIComponent(firstId)}`);
      expect(revoked.status).toBe(204);

      expect((await whoAmI(first.page, mode)).status).toBe(401);
      if (mode === 'memory-token') expect((await spa(first.page, 'refresh')).status).toBe(401);
      if (mode === 'jwt-cookie') expect((await appFetch(first.page, 'POST', '/api/auth/refresh')).status).toBe(401);
      expect((await whoAmI(secondPage, mode)).status).toBe(200);

      const state = new ServerState(server);
      try {
        const live = mode === 'session' ? state.sessions(account.userId) : state.liveFamilies(account.userId);
        expect(live.map((row) => row.id)).toEqual([secondId]);
        if (mode !== 'session') expect(state.family(firstId)?.revoked_reason).toBe('revoked');
      } finally {
        state.close();
      }
    },
  );
}

test(
  'bearer: a native client revoked from another device is refused on its next request',
  scorecard('revocation', 'bearer', 'Immediate: next request 401 (jti/sid denied)'),
  async () => {
    const server = appServer('session');
    const account = await createAccount(server, 'native-revoke');
    const native = new NativeClient(server.origin);
    const phone = await native.signIn(account.email, account.password);
    const laptop = await native.signIn(account.email, account.password);
    const me = async (token: string) => (await native.request('GET', '/api/auth/me', { bearer: token })).status;
    const phoneSession = (await (
      await native.request('GET', '/api/auth/me', { bearer: phone.access_token })
    ).json()) as { session: { id: string } };

    const revoke = await native.request('DELETE', `/api/auth/sessions/${phoneSession.session.id}`, {
      bearer: laptop.access_token,
    });
    expect(revoke.status).toBe(204);
    expect(await me(phone.access_token)).toBe(401);
    expect((await native.refresh(phone.refresh_token)).status).toBe(401);
    expect(await me(laptop.access_token)).toBe(200);

    const state = new ServerState(server);
    try {
      expect(state.family(phoneSession.session.id)?.revoked_at).not.toBeNull();
      expect(state.liveFamilies(account.userId)).toHaveLength(1);
    } finally {
      state.close();
    }
  },
);
