import { describe, expect, it } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';
import { countRows, expectProblem, FAST_PASSWORDS } from './test-mail.js';
import {
  CSRF_COOKIE,
  expectNoCredentials,
  expectPendingBody,
  expectSignInExpired,
  freshCode,
  issuesCookie,
  MFA_COOKIE,
  PENDING_MS,
  secondFactor,
  SESSION_COOKIE,
  signUpWithTotp,
  startSignIn,
  STEP_MS,
  totpCode,
} from './test-second-factor.js';

// The pending sign-in between the password and the second factor (spec-14 "Sign-in"): what
// it hands out (nothing), what it needs (cookie AND token), how long and how often it lives.

const start = serversPerTest();

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

/** A browser holding nothing but the pending cookie copied from another one. */
function carried(server: TestServer, from: TestBrowser): TestBrowser {
  const copy = new TestBrowser(server.origin);
  copy.cookies.set(MFA_COOKIE, from.cookies.get(MFA_COOKIE) ?? '');
  return copy;
}

describe('the pending answer', () => {
  it('hands out no session and no CSRF rotation: only the token and a __Host- cookie, HttpOnly, Strict, 300 s', async () => {
    const server = await startServer();
    const { email } = await signUpWithTotp(server);
    const browser = new TestBrowser(server.origin);
    await browser.csrfToken();
    const csrfBefore = browser.cookies.get(CSRF_COOKIE);
    const { response, body } = await startSignIn(server, email, browser);
    expectPendingBody(body as unknown as Record<string, unknown>, server.now());
    expectNoCredentials(response);
    expect(issuesCookie(response, CSRF_COOKIE)).toBe(false);
    expect(browser.cookies.get(CSRF_COOKIE)).toBe(csrfBefore);

    const cookie = findSetCookie(response, MFA_COOKIE);
    expect(cookie?.value.length).toBeGreaterThanOrEqual(32);
    expect(cookie?.value).not.toBe(body.mfaToken);
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.get('path')).toBe('/');
    expect(cookie?.attributes.get('max-age')).toBe('300');
    expect(cookie?.attributes.get('samesite')).toBe('Strict');
    expect(cookie?.attributes.has('domain')).toBe(false);

    await expectProblem(await browser.me(), 401, 'unauthenticated');
    const asBearer = await browser.request('GET', '/api/test/whoami', {
      headers: { Authorization: `Bearer ${body.mfaToken}` },
    });
    expect(asBearer.status).toBe(401);
  });

  it('without Secure cookies the pending cookie is gh_mfa (no __Host- prefix), and it still works', async () => {
    const server = await startServer({ env: { GATEHOUSE_SECURE_COOKIES: 'false' } });
    const account = await signUpWithTotp(server);
    const { response, browser, mfaToken } = await startSignIn(server, account.email);
    const cookie = findSetCookie(response, 'gh_mfa');
    expect(cookie?.attributes.has('secure')).toBe(false);
    expect(cookie?.attributes.get('max-age')).toBe('300');
    expect(findSetCookie(response, MFA_COOKIE)).toBeUndefined();
    const done = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(done.status).toBe(200);
    expect(findSetCookie(done, 'gh_session')?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a wrong password on an account with TOTP is invalid_credentials: no pending cookie, no token', async () => {
    const server = await startServer();
    const { email } = await signUpWithTotp(server);
    const response = await new TestBrowser(server.origin).login(email, 'not the right password');
    const problem = await expectProblem(response, 401, 'invalid_credentials');
    expect(JSON.stringify(problem)).not.toMatch(/mfa/i);
    expect(findSetCookie(response, MFA_COOKIE)).toBeUndefined();
  });
});

describe('the second step', () => {
  it('signs this browser in with the same answer as /login: user, session cookie, CSRF rotated', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const response = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: account.userId, email: account.email }, session: {} });
    expect(findSetCookie(response, SESSION_COOKIE)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issuesCookie(response, CSRF_COOKIE)).toBe(true);
    expect(issuesCookie(response, MFA_COOKIE)).toBe(false);
    expect((await browser.me()).status).toBe(200);
  });

  it('keeps "remember: false" from the password step: the session cookie ends with the browser', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email, undefined, { remember: false });
    const response = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(response.status).toBe(200);
    const cookie = findSetCookie(response, SESSION_COOKIE);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.attributes.has('max-age')).toBe(false);
  });

  it('refuses the cookie without the mfaToken (400) and with another sign-in’s token (401 sign_in_expired)', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const mine = await startSignIn(server, account.email);
    const theirs = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);

    // Sent from a copy of this browser's jar: a refused answer also clears the pending cookie
    // in the browser that sent it, which is not what is under test here.
    const copy = mine.browser.clone();
    const missing = await secondFactor(copy, { method: 'totp', code });
    expectNoCredentials(missing);
    await expectProblem(missing, 400, 'validation_failed');
    await expectSignInExpired(await secondFactor(copy, { mfaToken: theirs.mfaToken, method: 'totp', code }));
    expect((await copy.me()).status).toBe(401);
    expect(await countRows(server, 'sessions', account.userId)).toBe(1); // the sign-up's

    const own = await secondFactor(mine.browser, { mfaToken: mine.mfaToken, method: 'totp', code });
    expect(own.status).toBe(200);
  });

  it('refuses the mfaToken without the cookie, from another browser or a native client', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);

    const thief = new TestBrowser(server.origin);
    await expectSignInExpired(await secondFactor(thief, { mfaToken, method: 'totp', code }));
    expect((await thief.me()).status).toBe(401);
    const native = new NativeClient(server.origin);
    const asNative = await native.request('POST', '/api/auth/login/second-factor', {
      json: { mfa_token: mfaToken, method: 'totp', code },
    });
    await expectSignInExpired(asNative);

    // The owner, who holds both, is not locked out by those attempts.
    const owner = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(owner.status).toBe(200);
  });

  it('a pending cookie carried to another browser alone is useless; cookie + token die once the owner finishes', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const victim = await startSignIn(server, account.email);
    const thief = carried(server, victim.browser);

    // The token lives in the victim page's memory: the thief has the cookie and guesses the rest.
    const code = freshCode(server, account.secret);
    await expectProblem(await secondFactor(thief, { method: 'totp', code }), 400, 'validation_failed');
    await expectSignInExpired(await secondFactor(thief, { mfaToken: 'A'.repeat(43), method: 'totp', code }));
    expect((await thief.me()).status).toBe(401);

    // Cookie + token are a bearer pair; the code is the barrier, and the pair is single-use.
    const done = await secondFactor(victim.browser, { mfaToken: victim.mfaToken, method: 'totp', code });
    expect(done.status).toBe(200);
    const next = freshCode(server, account.secret);
    await expectSignInExpired(await secondFactor(thief, { mfaToken: victim.mfaToken, method: 'totp', code: next }));
    expect((await thief.me()).status).toBe(401);
  });

  it('is over after 5 minutes: sign_in_expired, reason expired, even with the right code', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const early = await startSignIn(server, account.email);
    const late = await startSignIn(server, account.email);

    server.advance(PENDING_MS - 10_000);
    const inTime = await secondFactor(early.browser, {
      mfaToken: early.mfaToken,
      method: 'totp',
      code: totpCode(account.secret, server.now()),
    });
    expect(inTime.status).toBe(200);

    server.advance(STEP_MS + 1_000); // 5 min 21 s after the password, in a step never used
    const code = totpCode(account.secret, server.now());
    await expectSignInExpired(await secondFactor(late.browser, { mfaToken: late.mfaToken, method: 'totp', code }));
    expect((await late.browser.me()).status).toBe(401);
  });

  it('signs in once: replaying the finished pending with the next code is refused', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const copy = browser.clone();
    const done = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(done.status).toBe(200);
    const replay = await secondFactor(copy, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    await expectSignInExpired(replay);
    expect(await countRows(server, 'sessions', account.userId)).toBe(2); // sign-up + this one
  });

  it('two answers racing on one pending sign-in give one session, not two', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);
    const early = totpCode(account.secret, server.now() + STEP_MS); // valid too (skew), never used
    const token = await browser.csrfToken();
    const responses = await Promise.all(
      [code, early].map((answer) =>
        secondFactor(browser.clone(), { mfaToken, method: 'totp', code: answer }, { csrf: token }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401]);
    expect(await countRows(server, 'sessions', account.userId)).toBe(2);
  });
});

describe('browser and native pending sign-ins do not mix', () => {
  it('/token answers mfa_required with no token and no cookie; its mfa_token finishes natively', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const native = new NativeClient(server.origin);
    const response = await native.request('POST', '/api/auth/token', {
      json: { email: account.email, password: GOOD_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expires_in', 'methods', 'mfa_required', 'mfa_token']);
    expect(body).toMatchObject({ mfa_required: true, expires_in: 300, methods: ['totp', 'recovery_code'] });
    expect((await native.whoami(body.mfa_token as string)).status).toBe(401);
  });

  it('a native mfa_token cannot be finished by a browser, and a browser mfaToken not by a native client', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const native = new NativeClient(server.origin);
    const tokenResponse = await native.request('POST', '/api/auth/token', {
      json: { email: account.email, password: GOOD_PASSWORD },
    });
    const { mfa_token: nativeToken } = (await tokenResponse.json()) as { mfa_token: string };
    const browserPending = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);

    // The browser holds its own pending cookie and presents the native token with it (from a
    // copy of its jar: the refusal clears the cookie where it was sent).
    const crossed = await secondFactor(browserPending.browser.clone(), { mfaToken: nativeToken, method: 'totp', code });
    await expectSignInExpired(crossed);
    // A browser with no pending cookie gets no session from a native pending either.
    const cookieless = new TestBrowser(server.origin);
    const viaBrowser = await secondFactor(cookieless, { mfaToken: nativeToken, method: 'totp', code });
    expect(issuesCookie(viaBrowser, SESSION_COOKIE)).toBe(false);
    expect((await cookieless.me()).status).toBe(401);

    const reverse = await native.request('POST', '/api/auth/login/second-factor', {
      json: { mfa_token: browserPending.mfaToken, method: 'totp', code },
    });
    await expectSignInExpired(reverse);
    expect(await countRows(server, 'sessions', account.userId)).toBe(1);

    // Each still finishes where it started.
    const next = freshCode(server, account.secret);
    const browserDone = await secondFactor(browserPending.browser, {
      mfaToken: browserPending.mfaToken,
      method: 'totp',
      code: next,
    });
    expect(browserDone.status).toBe(200);
    expect((await browserPending.browser.me()).status).toBe(200);
  });
});
