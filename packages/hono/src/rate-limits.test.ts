import { DEFAULT_RATE_LIMITS } from '@gatehouse/core';
import type { Response as UndiciResponse } from 'undici';
import { describe, expect, it } from 'vitest';
import { serversPerTest, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const SESSION = '__Host-gh_session';
const WRONG_PASSWORD = 'not the right password';
const MINUTE = 60_000;
const PER_ACCOUNT_AND_IP = DEFAULT_RATE_LIMITS.loginPerAccountAndIp;

const start = serversPerTest();

/** The client IP the server recorded for a sign-in response. */
async function sessionIp(response: UndiciResponse): Promise<unknown> {
  return ((await response.json()) as { session: { ip: unknown } }).session.ip;
}

async function registered(s: TestServer, email = uniqueEmail('owner')): Promise<string> {
  expect((await new TestBrowser(s.origin).signup(email, GOOD_PASSWORD)).status).toBe(201);
  return email;
}

/** A 429 problem with a usable Retry-After, and no session handed out. */
async function expectRateLimited(response: UndiciResponse, maxRetryAfterSeconds: number): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = response.headers.get('retry-after') ?? '';
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxRetryAfterSeconds);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 429, code: 'rate_limited', title: expect.any(String) as string });
  expect(body.detail).toEqual(expect.any(String));
  expect(findSetCookie(response, SESSION)).toBeUndefined();
}

describe('targeted brute force: one account from one IP', () => {
  it('answers 429 with Retry-After after the limit, even for the right password', async () => {
    const s = await start();
    const email = await registered(s);
    const userId = (await s.stores.users.findByEmail(email))?.id ?? '';
    const sessionsBefore = (await s.stores.sessions.listForUser(userId)).length;
    const attacker = new TestBrowser(s.origin);
    for (let i = 0; i < PER_ACCOUNT_AND_IP.limit; i++) {
      expect((await attacker.login(email, WRONG_PASSWORD)).status).toBe(401);
    }
    // The limiter runs before the password check: a correct guess is not confirmed.
    await expectRateLimited(await attacker.login(email, GOOD_PASSWORD), PER_ACCOUNT_AND_IP.windowMs / 1000);
    expect(await s.stores.sessions.listForUser(userId)).toHaveLength(sessionsBefore);
  });

  it('cannot dodge the counter by changing the case or padding of the email', async () => {
    const s = await start();
    const email = await registered(s);
    const attacker = new TestBrowser(s.origin);
    for (let i = 0; i < PER_ACCOUNT_AND_IP.limit; i++) {
      const variant = i % 2 === 0 ? email.toUpperCase() : ` ${email} `;
      expect((await attacker.login(variant, WRONG_PASSWORD)).status).toBe(401);
    }
    await expectRateLimited(await attacker.login(email, GOOD_PASSWORD), PER_ACCOUNT_AND_IP.windowMs / 1000);
  });

  it('parallel guesses cannot slip past the limit', async () => {
    const s = await start();
    const email = await registered(s);
    const attacker = new TestBrowser(s.origin);
    const token = await attacker.csrfToken();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const response = await attacker.request('POST', '/api/auth/login', {
          json: { email, password: WRONG_PASSWORD },
          csrf: token,
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(PER_ACCOUNT_AND_IP.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - PER_ACCOUNT_AND_IP.limit);
  });

  it('does not lock the owner out from another IP during the flood', async () => {
    const s = await start();
    const email = await registered(s);
    const attacker = new TestBrowser(s.origin);
    for (let i = 0; i <= PER_ACCOUNT_AND_IP.limit; i++) await attacker.login(email, WRONG_PASSWORD);
    expect((await attacker.login(email, GOOD_PASSWORD)).status).toBe(429);

    const owner = new TestBrowser(s.origin, '127.0.0.2');
    const response = await owner.login(email, GOOD_PASSWORD);
    expect(response.status).toBe(200);
    expect(await sessionIp(response)).toBe('127.0.0.2');
    expect((await owner.me()).status).toBe(200);
  });

  // Regression: attempts refused by the per-account+IP rule once still counted against the
  // account-wide rule, so one machine could lock the owner out from everywhere.
  it('a single IP that keeps flooding one account cannot lock its owner out from other IPs', async () => {
    const loginPerAccount = { name: 'login_per_account', limit: 10, windowMs: MINUTE };
    const s = await start({ rateLimits: { loginPerAccount } });
    const email = await registered(s);
    const attacker = new TestBrowser(s.origin);
    for (let i = 0; i <= loginPerAccount.limit; i++) await attacker.login(email, WRONG_PASSWORD);
    expect((await attacker.login(email, GOOD_PASSWORD)).status).toBe(429);

    const owner = await new TestBrowser(s.origin, '127.0.0.2').login(email, GOOD_PASSWORD);
    expect(owner.status).toBe(200);
  });

  it('lets the flooded IP sign in again once the window has passed', async () => {
    const s = await start();
    const email = await registered(s);
    const browser = new TestBrowser(s.origin);
    for (let i = 0; i <= PER_ACCOUNT_AND_IP.limit; i++) await browser.login(email, WRONG_PASSWORD);
    expect((await browser.login(email, GOOD_PASSWORD)).status).toBe(429);

    s.advance(PER_ACCOUNT_AND_IP.windowMs + 1);
    expect((await browser.login(email, GOOD_PASSWORD)).status).toBe(200);
  });

  it("a successful login resets the account's failure count", async () => {
    const s = await start();
    const email = await registered(s);
    const browser = new TestBrowser(s.origin);
    for (let i = 0; i < PER_ACCOUNT_AND_IP.limit - 1; i++) {
      expect((await browser.login(email, WRONG_PASSWORD)).status).toBe(401);
    }
    expect((await browser.login(email, GOOD_PASSWORD)).status).toBe(200);
    for (let i = 0; i < PER_ACCOUNT_AND_IP.limit - 1; i++) {
      expect((await browser.login(email, WRONG_PASSWORD)).status).toBe(401);
    }
  });
});

describe('password spraying: one IP, many accounts', () => {
  const loginPerIp = { name: 'login_per_ip', limit: 5, windowMs: MINUTE };

  it('answers 429 once one IP is over loginPerIp, whatever account it tries next', async () => {
    const s = await start({ rateLimits: { loginPerIp } });
    const victim = await registered(s);
    const sprayer = new TestBrowser(s.origin);
    for (let i = 0; i < loginPerIp.limit; i++) {
      expect((await sprayer.login(uniqueEmail('target'), WRONG_PASSWORD)).status).toBe(401);
    }
    await expectRateLimited(await sprayer.login(victim, GOOD_PASSWORD), loginPerIp.windowMs / 1000);
    // Another client is not affected.
    const other = await new TestBrowser(s.origin, '127.0.0.2').login(victim, GOOD_PASSWORD);
    expect(other.status).toBe(200);
    expect(await sessionIp(other)).toBe('127.0.0.2');
  });

  it('ignores X-Forwarded-For without GATEHOUSE_TRUST_PROXY: spoofing it does not reset the count', async () => {
    const s = await start({ rateLimits: { loginPerIp } });
    const sprayer = new TestBrowser(s.origin);
    const spray = (i: number) =>
      sprayer.request('POST', '/api/auth/login', {
        json: { email: uniqueEmail('target'), password: WRONG_PASSWORD },
        headers: { 'X-Forwarded-For': `203.0.113.${String(i + 1)}` },
      });
    for (let i = 0; i < loginPerIp.limit; i++) expect((await spray(i)).status).toBe(401);
    await expectRateLimited(await spray(99), loginPerIp.windowMs / 1000);
  });
});

describe('distributed flood: many IPs, one account', () => {
  const loginPerAccount = { name: 'login_per_account', limit: 5, windowMs: MINUTE };

  it('locks the account for the short window only, then the owner gets in', async () => {
    const s = await start({ env: { GATEHOUSE_TRUST_PROXY: '1' }, rateLimits: { loginPerAccount } });
    const email = await registered(s);
    const from = (ip: string, password: string) =>
      new TestBrowser(s.origin).request('POST', '/api/auth/login', {
        json: { email, password },
        headers: { 'X-Forwarded-For': ip },
      });
    for (let i = 0; i < loginPerAccount.limit; i++) {
      expect((await from(`198.51.100.${String(i + 1)}`, WRONG_PASSWORD)).status).toBe(401);
    }
    await expectRateLimited(await from('192.0.2.77', GOOD_PASSWORD), loginPerAccount.windowMs / 1000);

    s.advance(loginPerAccount.windowMs + 1);
    expect((await from('192.0.2.77', GOOD_PASSWORD)).status).toBe(200);
  });
});

describe('sign-up flood', () => {
  it('answers 429 over signupPerIp and creates no user', async () => {
    const signupPerIp = { name: 'signup_per_ip', limit: 3, windowMs: 60 * MINUTE };
    const s = await start({ rateLimits: { signupPerIp } });
    const bot = new TestBrowser(s.origin);
    for (let i = 0; i < signupPerIp.limit; i++) {
      expect((await bot.signup(uniqueEmail('bot'), GOOD_PASSWORD)).status).toBe(201);
    }
    const refused = uniqueEmail('bot');
    await expectRateLimited(await bot.signup(refused, GOOD_PASSWORD), signupPerIp.windowMs / 1000);
    expect(await s.stores.users.findByEmail(refused)).toBeUndefined();

    const human = uniqueEmail('human');
    const response = await new TestBrowser(s.origin, '127.0.0.2').signup(human, GOOD_PASSWORD);
    expect(response.status).toBe(201);
    expect(await sessionIp(response)).toBe('127.0.0.2');
  });
});

describe('password change as a guessing oracle', () => {
  it('a stolen session cannot guess the current password without limit', async () => {
    const s = await start();
    const email = uniqueEmail();
    const thief = new TestBrowser(s.origin);
    expect((await thief.signup(email, GOOD_PASSWORD)).status).toBe(201);
    const change = (currentPassword: string) =>
      thief.request('POST', '/api/auth/password', {
        json: { currentPassword, newPassword: 'the thief wants this one' },
      });
    for (let i = 0; i < PER_ACCOUNT_AND_IP.limit; i++) {
      expect((await change(`guess number ${String(i)}`)).status).toBe(401);
    }
    await expectRateLimited(await change(GOOD_PASSWORD), PER_ACCOUNT_AND_IP.windowMs / 1000);

    // Nothing changed: the old password still works and the session is still the same.
    expect((await thief.me()).status).toBe(200);
    expect((await new TestBrowser(s.origin, '127.0.0.2').login(email, GOOD_PASSWORD)).status).toBe(200);
  });
});
