import { fetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { NativeClient, type NativeTokens } from '../../../test-support/token-client.js';

const REVOKE = '/api/auth/revoke';

let server: TestServer;
let client: NativeClient;
beforeEach(async () => {
  server = await startTestServer({
    rateLimits: { tokenAttemptsPerIp: { name: 'token_attempts_per_ip', limit: 12, windowMs: 15 * 60_000 } },
  });
  client = new NativeClient(server.origin);
});
afterEach(async () => {
  await server.close();
});

async function nativeTokens(): Promise<NativeTokens> {
  const email = uniqueEmail('revoke');
  expect((await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD)).status).toBe(201);
  return client.signIn(email, GOOD_PASSWORD);
}

/** What an RFC 7009 client sends: no Authorization, no cookie, no Origin, no CSRF token. */
function revoke(body: unknown) {
  return client.request('POST', REVOKE, { json: body });
}

function raw(body: string, contentType: string) {
  return fetch(`${server.origin}${REVOKE}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

async function expectRevoked(response: { status: number; json(): Promise<unknown> }) {
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
}

async function problem(response: { status: number; json(): Promise<unknown> }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ status, code });
}

const whoami = (accessToken: string) => client.whoami(accessToken);

describe('POST /api/auth/revoke (RFC 7009) for native apps (issue 15, finding 11)', () => {
  it('a stolen-or-lost refresh token: its family ends, refresh fails 401 and its access tokens 401', async () => {
    const tokens = await nativeTokens();
    expect((await whoami(tokens.access_token)).status).toBe(200);

    await expectRevoked(await revoke({ token: tokens.refresh_token, token_type_hint: 'refresh_token' }));

    expect((await client.refresh(tokens.refresh_token)).status).toBe(401);
    expect((await whoami(tokens.access_token)).status).toBe(401);
    expect((await client.request('GET', '/api/auth/me', { bearer: tokens.access_token })).status).toBe(401);
  });

  it('an access token: that token is refused, the refresh token still works (the family lives)', async () => {
    const tokens = await nativeTokens();
    await expectRevoked(await revoke({ token: tokens.access_token, token_type_hint: 'access_token' }));

    expect((await whoami(tokens.access_token)).status).toBe(401);
    const refreshed = await client.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as NativeTokens;
    expect((await whoami(next.access_token)).status).toBe(200);
  });

  it('a wrong token_type_hint does not stop the revocation (RFC 7009 §2.1: search all types)', async () => {
    const tokens = await nativeTokens();
    await expectRevoked(await revoke({ token: tokens.refresh_token, token_type_hint: 'access_token' }));
    expect((await client.refresh(tokens.refresh_token)).status).toBe(401);
    await expectRevoked(await revoke({ token: (await nativeTokens()).access_token, token_type_hint: 'mystery' }));
  });

  it('an already rotated refresh token ends the family too: within the grace window it still reaches it', async () => {
    const tokens = await nativeTokens();
    const rotated = await client.refresh(tokens.refresh_token);
    const current = (await rotated.json()) as NativeTokens;
    await expectRevoked(await revoke({ token: tokens.refresh_token }));
    expect((await client.refresh(current.refresh_token)).status).toBe(401);
    expect((await whoami(current.access_token)).status).toBe(401);
  });

  it.each([
    ['an unknown refresh-shaped token', 'A'.repeat(43)],
    ['an unknown JWT-shaped token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['a random string', 'not a token at all'],
    ['an API key', 'gh_0123456789abcdef_0123456789abcdef0123456789abcdef'],
  ])('answers 200 {} for %s, and changes nothing (RFC 7009 §2.2)', async (_name, token) => {
    const tokens = await nativeTokens();
    await expectRevoked(await revoke({ token }));
    expect((await whoami(tokens.access_token)).status).toBe(200);
    expect((await client.refresh(tokens.refresh_token)).status).toBe(200);
  });

  it("revoking another user's token is allowed: possession is the proof", async () => {
    const victim = await nativeTokens();
    // Someone who found the token in a log or a crash report reports it: it stops working.
    const finder = new NativeClient(server.origin);
    await expectRevoked(await finder.request('POST', REVOKE, { json: { token: victim.refresh_token } }));
    expect((await client.refresh(victim.refresh_token)).status).toBe(401);
  });

  it('accepts the form encoding RFC 7009 clients send', async () => {
    const tokens = await nativeTokens();
    const body = new URLSearchParams({ token: tokens.refresh_token, token_type_hint: 'refresh_token' }).toString();
    await expectRevoked(await raw(body, 'application/x-www-form-urlencoded'));
    expect((await client.refresh(tokens.refresh_token)).status).toBe(401);
  });

  it('needs no CSRF token even with a session cookie: the route reads no ambient credential', async () => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
    const tokens = await nativeTokens();
    const response = await browser.request('POST', REVOKE, {
      json: { token: tokens.access_token },
      csrf: false,
      origin: 'https://evil.example',
      secFetchSite: 'cross-site',
    });
    await expectRevoked(response);
    // The browser's own session is untouched: the token in the body is all that counts.
    expect((await browser.me()).status).toBe(200);
  });

  it.each([
    ['invalid JSON', '{"token": ', 'application/json', 400, 'validation_failed'],
    ['JSON null', 'null', 'application/json', 400, 'validation_failed'],
    ['an array', '[]', 'application/json', 400, 'validation_failed'],
    ['no token', '{}', 'application/json', 400, 'validation_failed'],
    ['an empty token', '{"token":""}', 'application/json', 400, 'validation_failed'],
    ['a numeric token', '{"token":42}', 'application/json', 400, 'validation_failed'],
    ['an object hint', '{"token":"x","token_type_hint":{}}', 'application/json', 400, 'validation_failed'],
    ['a token over 4 KB', JSON.stringify({ token: 'a'.repeat(5000) }), 'application/json', 400, 'validation_failed'],
    ['__proto__', '{"__proto__":{"token":"x"}}', 'application/json', 400, 'validation_failed'],
    [
      'a form without token',
      'token_type_hint=refresh_token',
      'application/x-www-form-urlencoded',
      400,
      'validation_failed',
    ],
    ['a form with token twice', 'token=a&token=b', 'application/x-www-form-urlencoded', 400, 'validation_failed'],
    ['text/plain', 'token=x', 'text/plain', 415, 'unsupported_media_type'],
    ['multipart', '--X\r\n\r\n--X--', 'multipart/form-data; boundary=X', 415, 'unsupported_media_type'],
  ])('refuses %s with a clear 4xx problem, changing nothing', async (_name, body, type, status, code) => {
    const tokens = await nativeTokens();
    await problem(await raw(body, type), status, code);
    expect((await whoami(tokens.access_token)).status).toBe(200);
  });

  it('a body over the auth limit is 413 and closes the connection', async () => {
    const response = await raw(JSON.stringify({ token: 'a'.repeat(64 * 1024) }), 'application/json');
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
  });

  it('is rate-limited per IP: a token guesser gets 429 with Retry-After', async () => {
    for (let i = 0; i < 12; i++) await expectRevoked(await revoke({ token: 'A'.repeat(43) }));
    const limited = await revoke({ token: 'A'.repeat(43) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
  });
});
