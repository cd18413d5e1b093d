import type { Response as UndiciResponse } from 'undici';
import { describe, expect, it } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { NativeClient, type NativeTokens } from '../../../test-support/token-client.js';
import { FAST_PASSWORDS } from './test-mail.js';
import {
  ACCESS_COOKIE,
  expectNoCredentials,
  expectPendingBody,
  freshCode,
  MFA_COOKIE,
  REFRESH_COOKIE,
  secondFactor,
  SESSION_COOKIE,
  signUpWithTotp,
  startSignIn,
  totpCode,
  type TotpFactor,
} from './test-second-factor.js';

// The password alone gets nothing once a factor is on, in every mode (spec-14 "Sign-in"):
// session, jwt-cookie and memory-token browsers, and native apps on POST /token.

const start = serversPerTest();
/** The SPA of memory-token mode: another site than the API at 127.0.0.1. */
const SPA = 'http://localhost:4321';

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

type Answer = 'totp' | 'recovery_code';
const ANSWERS: Answer[] = ['totp', 'recovery_code'];

function answer(server: TestServer, factor: TotpFactor, method: Answer): { method: Answer; code: string } {
  return { method, code: method === 'totp' ? freshCode(server, factor.secret) : (factor.recoveryCodes[0] ?? '') };
}

/** No token of any kind in a pending answer's body. */
function expectNoTokens(body: Record<string, unknown>): void {
  for (const field of ['access_token', 'refresh_token', 'user', 'session']) expect(body).not.toHaveProperty(field);
}

describe('session mode', () => {
  it.each(ANSWERS)('the second step with %s signs in; snake_case mfa_token is accepted too', async (method) => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken, response, body } = await startSignIn(server, account.email);
    expectNoCredentials(response);
    expect((await browser.me()).status).toBe(401);
    expectPendingBody(body as unknown as Record<string, unknown>, server.now());
    const done = await secondFactor(browser, { mfa_token: mfaToken, ...answer(server, account, method) });
    expect(done.status).toBe(200);
    expect(findSetCookie(done, SESSION_COOKIE)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await browser.me()).status).toBe(200);
  });
});

describe('jwt-cookie mode', () => {
  it.each(ANSWERS)(
    'the password alone sets no access or refresh cookie; the second step with %s does',
    async (method) => {
      const server = await startServer({ env: { GATEHOUSE_BROWSER_MODE: 'jwt-cookie' } });
      const account = await signUpWithTotp(server);
      const { browser, mfaToken, response, body } = await startSignIn(server, account.email);
      expectNoCredentials(response);
      expectPendingBody(body as unknown as Record<string, unknown>, server.now());
      expect(findSetCookie(response, MFA_COOKIE)?.attributes.get('samesite')).toBe('Strict');
      expect((await browser.request('GET', '/api/test/whoami')).status).toBe(401);
      expect((await browser.me()).status).toBe(401);

      const done = await secondFactor(browser, { mfaToken, ...answer(server, account, method) });
      expect(done.status).toBe(200);
      expect(findSetCookie(done, ACCESS_COOKIE)?.value.split('.')).toHaveLength(3);
      expect(findSetCookie(done, REFRESH_COOKIE)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(findSetCookie(done, SESSION_COOKIE)).toBeUndefined();
      const whoami = await browser.request('GET', '/api/test/whoami');
      expect(await whoami.json()).toMatchObject({ email: account.email, credential: 'access-cookie' });
      expect((await browser.request('POST', '/api/auth/refresh', { csrf: false })).status).toBe(200);
    },
  );
});

describe('memory-token mode (cross-site SPA)', () => {
  function spa(
    browser: TestBrowser,
    method: string,
    path: string,
    options: Parameters<TestBrowser['request']>[2] = {},
  ) {
    return browser.request(method, path, { origin: SPA, secFetchSite: 'cross-site', csrf: false, ...options });
  }

  /** Signs up from the SPA and turns TOTP on with the access token, as the SPA would. */
  async function spaAccountWithTotp(server: TestServer): Promise<TotpFactor & { email: string }> {
    const email = uniqueEmail();
    const browser = new TestBrowser(server.origin);
    const signup = await spa(browser, 'POST', '/api/auth/signup', { json: { email, password: GOOD_PASSWORD } });
    expect(signup.status).toBe(201);
    const { access_token } = (await signup.json()) as { access_token: string };
    const bearer = { Authorization: `Bearer ${access_token}` };
    const setup = await spa(browser, 'POST', '/api/auth/totp/setup', { json: {}, headers: bearer });
    expect(setup.status).toBe(200);
    const { secret } = (await setup.json()) as { secret: string };
    const enable = await spa(browser, 'POST', '/api/auth/totp/enable', {
      json: { code: freshCode(server, secret) },
      headers: bearer,
    });
    expect(enable.status).toBe(200);
    const { recoveryCodes } = (await enable.json()) as { recoveryCodes: string[] };
    return { email, secret, recoveryCodes };
  }

  it.each(ANSWERS)('the password alone returns no access token; the second step with %s does', async (method) => {
    const server = await startServer({ env: { GATEHOUSE_BROWSER_MODE: 'memory-token', TRUSTED_ORIGINS: SPA } });
    const account = await spaAccountWithTotp(server);
    const tab = new TestBrowser(server.origin);
    const login = await spa(tab, 'POST', '/api/auth/login', {
      json: { email: account.email, password: GOOD_PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBe(SPA);
    expectNoCredentials(login);
    const body = (await login.json()) as Record<string, unknown>;
    expectPendingBody(body, server.now());
    expectNoTokens(body);
    // The SPA's site is another site: the pending cookie must be SameSite=None to come back.
    const cookie = findSetCookie(login, MFA_COOKIE);
    expect(cookie?.attributes.get('samesite')).toBe('None');
    expect(cookie?.attributes.has('secure')).toBe(true);
    const mfaToken = body.mfaToken as string;
    const asBearer = await spa(tab, 'GET', '/api/test/whoami', { headers: { Authorization: `Bearer ${mfaToken}` } });
    expect(asBearer.status).toBe(401);

    const done = await spa(tab, 'POST', '/api/auth/login/second-factor', {
      json: { mfaToken, ...answer(server, account, method) },
    });
    expect(done.status).toBe(200);
    const tokens = (await done.json()) as { access_token: string; token_type: string };
    expect(tokens.token_type).toBe('Bearer');
    expect(findSetCookie(done, REFRESH_COOKIE)?.attributes.get('samesite')).toBe('None');
    const whoami = await spa(tab, 'GET', '/api/test/whoami', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await whoami.json()).toMatchObject({ email: account.email, credential: 'bearer' });
  });
});

describe('native apps (POST /token)', () => {
  async function tokenSignIn(
    server: TestServer,
    email: string,
  ): Promise<{ response: UndiciResponse; body: Record<string, unknown> }> {
    const response = await new NativeClient(server.origin).request('POST', '/api/auth/token', {
      json: { email, password: GOOD_PASSWORD },
    });
    expect(response.status).toBe(200);
    return { response, body: (await response.json()) as Record<string, unknown> };
  }

  it.each(ANSWERS)(
    'the password alone gets mfa_required and no token; the second step with %s gets tokens',
    async (method) => {
      const server = await startServer();
      const account = await signUpWithTotp(server);
      const native = new NativeClient(server.origin);
      const { response, body } = await tokenSignIn(server, account.email);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(body).toEqual({
        mfa_required: true,
        mfa_token: expect.any(String) as string,
        methods: ['totp', 'recovery_code'],
        expires_in: 300,
      });
      const mfaToken = body.mfa_token as string;
      expect((await native.whoami(mfaToken)).status).toBe(401);
      expect((await native.refresh(mfaToken)).status).toBe(401);

      const done = await native.request('POST', '/api/auth/login/second-factor', {
        json: { mfa_token: mfaToken, ...answer(server, account, method) },
      });
      expect(done.status).toBe(200);
      expect(done.headers.getSetCookie()).toEqual([]);
      const tokens = (await done.json()) as NativeTokens;
      expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
      expect(await (await native.whoami(tokens.access_token)).json()).toMatchObject({ email: account.email });
      expect((await native.refresh(tokens.refresh_token)).status).toBe(200);
    },
  );

  it('the camelCase mfaToken finishes a native pending too; the code is checked at the server clock', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const native = new NativeClient(server.origin);
    const { body } = await tokenSignIn(server, account.email);
    server.advance(60_000); // the server's clock, not the machine's, decides which code is valid
    const done = await native.request('POST', '/api/auth/login/second-factor', {
      json: { mfaToken: body.mfa_token, method: 'totp', code: totpCode(account.secret, server.now()) },
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ token_type: 'Bearer' });
  });
});
