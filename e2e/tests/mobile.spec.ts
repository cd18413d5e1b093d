import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import { appServer } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';

// Mobile / native client auth, over plain HTTP as an app would speak it: no cookie jar, no
// Origin, no CSRF token. Tokens come in the body for the platform's secure storage, rotate
// on every refresh, and die at once on logout.

test(
  'bearer: a native app signs in without cookies or CSRF, refreshes with rotation, and its logout ends the family',
  scorecard('mobile', 'bearer', 'Natural fit: tokens in the body, no cookie, rotated, revocable at once'),
  async () => {
    const server = appServer('session');
    const account = await createAccount(server, 'native-mobile');
    const native = new NativeClient(server.origin);

    const signIn = await native.request('POST', '/api/auth/token', {
      json: { email: account.email, password: account.password },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.getSetCookie()).toEqual([]);
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    const first = (await signIn.json()) as { access_token: string; refresh_token: string; token_type: string };
    expect(first.token_type).toBe('Bearer');
    expect((await native.request('GET', '/api/auth/me', { bearer: first.access_token })).status).toBe(200);

    const refreshed = await native.refresh(first.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.getSetCookie()).toEqual([]);
    const second = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await native.request('GET', '/api/auth/me', { bearer: second.access_token })).status).toBe(200);

    const state = new ServerState(server);
    try {
      const family = state.familyOfRefreshToken(second.refresh_token);
      expect(family?.client).toBe('bearer');
      expect(family?.generation).toBeGreaterThan(0);
      // No CSRF token and no Origin: a bearer request has nothing ambient to protect.
      const logout = await native.request('POST', '/api/auth/logout', { bearer: second.access_token });
      expect(logout.status).toBe(204);
      expect((await native.request('GET', '/api/auth/me', { bearer: second.access_token })).status).toBe(401);
      expect((await native.refresh(second.refresh_token)).status).toBe(401);
      expect(state.family(family?.id ?? '')?.revoked_at).not.toBeNull();
      expect(state.liveFamilies(account.userId)).toEqual([]);
    } finally {
      state.close();
    }
  },
);
