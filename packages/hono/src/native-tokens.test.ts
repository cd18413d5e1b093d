import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { NativeClient, type NativeTokens } from '../../../test-support/token-client.js';

const SECOND = 1000;

let server: TestServer;
let client: NativeClient;
beforeEach(async () => {
  server = await startTestServer();
  client = new NativeClient(server.origin);
});
afterEach(async () => {
  await server.close();
});

async function nativeUser(email = uniqueEmail()): Promise<{ email: string; tokens: NativeTokens }> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  return { email, tokens: await client.signIn(email, GOOD_PASSWORD) };
}

async function rotate(refreshToken: string): Promise<NativeTokens> {
  const response = await client.refresh(refreshToken);
  expect(response.status).toBe(200);
  return (await response.json()) as NativeTokens;
}

async function problemCode(response: { json(): Promise<unknown> }): Promise<string> {
  return ((await response.json()) as { code: string }).code;
}

describe('native app flow (POST /token, bearer, refresh by body)', () => {
  it('signs in with no cookies and no CSRF token, and the access token authenticates', async () => {
    const { email, tokens } = await nativeUser();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(600);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.access_token.split('.')).toHaveLength(3);

    const response = await client.whoami(tokens.access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email, credential: 'bearer' });
  });

  it('sets no cookie on /token', async () => {
    const email = uniqueEmail();
    await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
    const response = await client.request('POST', '/api/auth/token', { json: { email, password: GOOD_PASSWORD } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('answers a wrong password with invalid_credentials, like /login', async () => {
    const { email } = await nativeUser();
    const response = await client.request('POST', '/api/auth/token', { json: { email, password: 'wrong password!' } });
    expect(response.status).toBe(401);
    expect(await problemCode(response)).toBe('invalid_credentials');
  });

  it('rotates the refresh token on every use; the new access token works', async () => {
    const { email, tokens } = await nativeUser();
    const second = await rotate(tokens.refresh_token);
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(second.access_token).not.toBe(tokens.access_token);
    const third = await rotate(second.refresh_token);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect(await (await client.whoami(third.access_token)).json()).toMatchObject({ email });
  });

  it('detects reuse after the grace window: token_reused, and the whole family dies, newer tokens included', async () => {
    const { tokens } = await nativeUser();
    const stolen = tokens.refresh_token;
    const second = await rotate(stolen);
    const third = await rotate(second.refresh_token);
    server.advance(11 * SECOND); // past the 10 s grace window

    const reuse = await client.refresh(stolen);
    expect(reuse.status).toBe(401);
    expect(await problemCode(reuse)).toBe('token_reused');

    // Everything issued from this sign-in is dead, including what came after the stolen token.
    expect((await client.refresh(third.refresh_token)).status).toBe(401);
    expect((await client.whoami(third.access_token)).status).toBe(401);
    expect((await client.whoami(tokens.access_token)).status).toBe(401);

    const events = await server.stores.audit.list({ type: 'refresh_reused' });
    expect(events).toHaveLength(1);
  });

  it('20 concurrent refreshes with the same token inside the grace window: one new generation, no revocation', async () => {
    const { tokens } = await nativeUser();
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.refresh(tokens.refresh_token)));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as NativeTokens[];
    const successors = new Set(bodies.map((body) => body.refresh_token));
    expect(successors.size).toBe(1);

    const [successor] = [...successors];
    const families = await server.stores.tokenFamilies.findToken(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(successor ?? '')
        .digest('hex'),
    );
    expect(families?.family.generation).toBe(2);
    expect(families?.family.revokedAt).toBeNull();
    expect(await server.stores.audit.list({ type: 'refresh_reused' })).toHaveLength(0);

    // Every tab's access token works, and the successor keeps rotating normally.
    for (const body of bodies) expect((await client.whoami(body.access_token)).status).toBe(200);
    expect((await client.refresh(successor ?? '')).status).toBe(200);
  });

  it('refuses an access token used as a refresh token, and a refresh token used as an access token', async () => {
    const { tokens } = await nativeUser();
    const asRefresh = await client.refresh(tokens.access_token);
    expect(asRefresh.status).toBe(401);
    expect(await problemCode(asRefresh)).toBe('unauthenticated');
    expect((await client.whoami(tokens.refresh_token)).status).toBe(401);
    // Neither mistake cost the legitimate tokens anything.
    expect((await client.whoami(tokens.access_token)).status).toBe(200);
    expect((await client.refresh(tokens.refresh_token)).status).toBe(200);
  });

  it('logout revokes at once: the access token (not yet expired) and the refresh token are both refused', async () => {
    const { tokens } = await nativeUser();
    const logout = await client.request('POST', '/api/auth/logout', { bearer: tokens.access_token });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()).toEqual([]);

    expect((await client.whoami(tokens.access_token)).status).toBe(401);
    expect((await client.refresh(tokens.refresh_token)).status).toBe(401);
    const rejected = await server.stores.audit.list({ type: 'token_rejected' });
    expect(rejected.map((event) => event.reason)).toEqual(
      expect.arrayContaining(['bearer:revoked', 'refresh:family_revoked']),
    );
  });

  it('log out everywhere ends browser sessions and every token family', async () => {
    const email = uniqueEmail();
    const browser = new TestBrowser(server.origin);
    await browser.signup(email, GOOD_PASSWORD);
    const phone = await client.signIn(email, GOOD_PASSWORD);
    const laptop = await client.signIn(email, GOOD_PASSWORD);

    expect((await client.request('POST', '/api/auth/logout-all', { bearer: phone.access_token })).status).toBe(204);
    expect((await client.whoami(laptop.access_token)).status).toBe(401);
    expect((await client.refresh(laptop.refresh_token)).status).toBe(401);
    expect((await browser.me()).status).toBe(401);
  });

  it('lists token families beside sessions, and revoking one denies its access token on the next request', async () => {
    const email = uniqueEmail();
    const browser = new TestBrowser(server.origin);
    await browser.signup(email, GOOD_PASSWORD);
    const phone = await client.signIn(email, GOOD_PASSWORD);

    const list = (await (await browser.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; kind: string; current: boolean }[];
    };
    expect(list.sessions.map((session) => session.kind).sort()).toEqual(['bearer', 'session']);
    const family = list.sessions.find((session) => session.kind === 'bearer');
    expect(family?.current).toBe(false);

    const revoke = await browser.request('DELETE', `/api/auth/sessions/${family?.id ?? ''}`);
    expect(revoke.status).toBe(204);
    expect((await client.whoami(phone.access_token)).status).toBe(401);
    expect((await client.refresh(phone.refresh_token)).status).toBe(401);
    expect((await browser.me()).status).toBe(200);
  });

  it('GET /me names the token family as it stands: last use moves with a rotation, revoked answers 401', async () => {
    const { tokens } = await nativeUser();
    const me = async (accessToken: string) => client.request('GET', '/api/auth/me', { bearer: accessToken });
    const first = (await (await me(tokens.access_token)).json()) as { session: { id: string; lastSeenAt: string } };

    // Within the family cache's minute: only the rotation itself can have refreshed it.
    server.advance(30 * SECOND);
    const rotated = await rotate(tokens.refresh_token);
    const second = (await (await me(rotated.access_token)).json()) as { session: { id: string; lastSeenAt: string } };
    expect(second.session.id).toBe(first.session.id);
    expect(Date.parse(second.session.lastSeenAt)).toBe(Date.parse(first.session.lastSeenAt) + 30 * SECOND);

    // /me has just been answered for this family: its logout must still end it at once.
    expect((await client.request('POST', '/api/auth/logout', { bearer: rotated.access_token })).status).toBe(204);
    expect((await me(rotated.access_token)).status).toBe(401);
  });

  it("cannot revoke another user's token family, and does not deny its tokens by trying", async () => {
    const victim = await nativeUser();
    const me = (await (await client.request('GET', '/api/auth/me', { bearer: victim.tokens.access_token })).json()) as {
      session: { id: string };
    };
    const attacker = await nativeUser();
    const attempt = await client.request('DELETE', `/api/auth/sessions/${me.session.id}`, {
      bearer: attacker.tokens.access_token,
    });
    expect(attempt.status).toBe(404);
    expect((await client.whoami(victim.tokens.access_token)).status).toBe(200);
  });

  it('a password change ends every other credential and hands back new tokens', async () => {
    const { email, tokens } = await nativeUser();
    const other = await client.signIn(email, GOOD_PASSWORD);
    const response = await client.request('POST', '/api/auth/password', {
      bearer: tokens.access_token,
      json: { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as NativeTokens;
    expect((await client.whoami(other.access_token)).status).toBe(401);
    expect((await client.whoami(tokens.access_token)).status).toBe(401);
    expect((await client.refresh(other.refresh_token)).status).toBe(401);
    expect((await client.whoami(body.access_token)).status).toBe(200);
    expect((await client.refresh(body.refresh_token)).status).toBe(200);
  });

  it('an access token expires after 10 minutes; the refresh token still works', async () => {
    const { tokens } = await nativeUser();
    server.advance(10 * 60 * SECOND + 31 * SECOND); // lifetime + clock skew
    expect((await client.whoami(tokens.access_token)).status).toBe(401);
    const next = await rotate(tokens.refresh_token);
    expect((await client.whoami(next.access_token)).status).toBe(200);
  });

  it('a refresh family dies after its absolute lifetime, however often it rotated', async () => {
    const { tokens } = await nativeUser();
    let current = tokens.refresh_token;
    for (let day = 0; day < 29; day += 1) {
      server.advance(24 * 60 * 60 * SECOND);
      current = (await rotate(current)).refresh_token;
    }
    server.advance(2 * 24 * 60 * 60 * SECOND);
    expect((await client.refresh(current)).status).toBe(401);
  });

  it('a bearer request needs no CSRF token, and its cookies are not looked at', async () => {
    const { tokens } = await nativeUser();
    const before = server.protectedCalls();
    const response = await client.request('POST', '/api/test/protected', { bearer: tokens.access_token });
    expect(response.status).toBe(200);
    expect(server.protectedCalls()).toBe(before + 1);
  });

  it('a cookie session does not get through CSRF by adding a garbage Authorization header', async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signup(uniqueEmail(), GOOD_PASSWORD);
    const before = server.protectedCalls();
    const response = await browser.request('POST', '/api/test/protected', {
      csrf: false,
      headers: { Authorization: 'Bearer not-a-token' },
    });
    // The header credential is all that counts, and it is not valid: nothing ran.
    expect(response.status).toBe(401);
    expect(server.protectedCalls()).toBe(before);
  });

  it('refuses a malformed refresh body with a clear 400', async () => {
    const response = await client.request('POST', '/api/auth/refresh', { json: { refresh_token: 42 } });
    expect(response.status).toBe(400);
    expect(await problemCode(response)).toBe('validation_failed');
  });
});
