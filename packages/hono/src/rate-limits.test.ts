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

// Issue 15: loginPerIp counted successes too, so the 31st person behind one office NAT to sign
// in within five minutes got 429. It now counts what a sprayer produces: failures.
describe('an office behind one NAT', () => {
  const CHEAP_HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
  const LOGIN_PER_IP = DEFAULT_RATE_LIMITS.loginPerIp;

  it('31 people behind one NAT all sign in', async () => {
    const signupPerIp = { name: 'signup_per_ip', limit: 1_000, windowMs: 60 * MINUTE };
    const s = await start({ rateLimits: { signupPerIp }, passwordParams: CHEAP_HASHING });
    const people: string[] = [];
    for (let i = 0; i <= LOGIN_PER_IP.limit; i++) people.push(await registered(s, uniqueEmail('colleague')));
    // Everyone comes from 127.0.0.1, as an office does from its one public address.
    for (const email of people) {
      const response = await new TestBrowser(s.origin).login(email, GOOD_PASSWORD);
      expect(response.status, email).toBe(200);
    }
  });

  it('one IP guessing many accounts is still stopped after 30 failures', async () => {
    const s = await start({ passwordParams: CHEAP_HASHING });
    const victim = await registered(s, uniqueEmail('victim'));
    const sprayer = new TestBrowser(s.origin);
    const own = await registered(s, uniqueEmail('sprayer'));
    for (let i = 0; i < LOGIN_PER_IP.limit; i++) {
      // Signing in to an account of its own now and then buys the sprayer no extra guesses.
      if (i % 5 === 0) expect((await sprayer.login(own, GOOD_PASSWORD)).status).toBe(200);
      expect((await sprayer.login(uniqueEmail('target'), WRONG_PASSWORD)).status).toBe(401);
    }
    await expectRateLimited(await sprayer.login(victim, GOOD_PASSWORD), LOGIN_PER_IP.windowMs / 1000);
    await expectRateLimited(await sprayer.login(own, GOOD_PASSWORD), LOGIN_PER_IP.windowMs / 1000);
    const refused = await s.stores.audit.list({ type: 'rate_limited' });
    expect(refused[0]).toMatchObject({ ip: '127.0.0.1', reason: 'login_per_ip' });
  });

  it('parallel guesses at many accounts from one IP cannot slip past loginPerIp', async () => {
    const loginPerIp = { name: 'login_per_ip', limit: 5, windowMs: MINUTE };
    const s = await start({ rateLimits: { loginPerIp }, passwordParams: CHEAP_HASHING });
    const sprayer = new TestBrowser(s.origin);
    const token = await sprayer.csrfToken();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const response = await sprayer.request('POST', '/api/auth/login', {
          json: { email: uniqueEmail('target'), password: WRONG_PASSWORD },
          csrf: token,
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(loginPerIp.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - loginPerIp.limit);
  });
});

// Issue 15: per-IP rules keyed the address as text, so one IPv6 subscriber (a whole /64) or
// another spelling of one address got a fresh window, and `ip:port` entries from a proxy made
// every client look like the proxy.
describe('per-IP rules count clients, not spellings', () => {
  const signupPerIp = { name: 'signup_per_ip', limit: 3, windowMs: 60 * MINUTE };

  function signupFrom(s: TestServer, forwardedFor: string): Promise<UndiciResponse> {
    return new TestBrowser(s.origin).request('POST', '/api/auth/signup', {
      json: { email: uniqueEmail('bot'), password: GOOD_PASSWORD },
      headers: { 'X-Forwarded-For': forwardedFor },
    });
  }

  it('14 signups from one /64 with different addresses: the 11th is 429', async () => {
    const limit = DEFAULT_RATE_LIMITS.signupPerIp.limit;
    const s = await start({ env: { GATEHOUSE_TRUST_PROXY: '1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const response = await signupFrom(s, `2001:db8:1:2::${(i + 1).toString(16)}`);
      statuses.push(response.status);
      // The session and the audit trail keep the client's own address, not its network.
      if (i === 0) expect(await sessionIp(response)).toBe('2001:db8:1:2::1');
    }
    expect(statuses).toEqual([...Array<number>(limit).fill(201), ...Array<number>(14 - limit).fill(429)]);
    await expectRateLimited(await signupFrom(s, '2001:db8:1:2:ffff:ffff:ffff:ffff'), 60 * 60);
    // The audit trail names the client's own address, not its network.
    const refused = await s.stores.audit.list({ type: 'rate_limited' });
    expect(refused).toHaveLength(14 - limit + 1);
    expect(refused.map((event) => event.ip)).toContain('2001:db8:1:2:ffff:ffff:ffff:ffff');
    expect(refused.map((event) => event.ip)).toContain('2001:db8:1:2::e');
    // The next /64 is another subscriber.
    expect((await signupFrom(s, '2001:db8:1:3::1')).status).toBe(201);
  });

  it('GATEHOUSE_IPV6_RATE_LIMIT_PREFIX=128 keys every IPv6 address on its own', async () => {
    const s = await start({
      env: { GATEHOUSE_TRUST_PROXY: '1', GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: '128' },
      rateLimits: { signupPerIp },
    });
    for (let i = 0; i <= signupPerIp.limit; i++) {
      expect((await signupFrom(s, `2001:db8:1:2::${String(i + 1)}`)).status).toBe(201);
    }
  });

  it('other spellings of one address share a window', async () => {
    // /128, so only the spelling differs, never the network.
    const s = await start({
      env: { GATEHOUSE_TRUST_PROXY: '1', GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: '128' },
      rateLimits: { signupPerIp },
    });
    const first = await signupFrom(s, '2001:0db8:9::1');
    expect(first.status).toBe(201);
    expect((await signupFrom(s, '2001:DB8:9::1')).status).toBe(201);
    expect((await signupFrom(s, '[2001:db8:9:0:0:0:0:1]:4711')).status).toBe(201);
    await expectRateLimited(await signupFrom(s, '2001:db8:9::1'), signupPerIp.windowMs / 1000);
    // Recorded in the one canonical spelling.
    expect(await sessionIp(first)).toBe('2001:db8:9::1');

    // IPv4, and the same address written as IPv4-mapped IPv6.
    expect((await signupFrom(s, '::ffff:198.51.100.7')).status).toBe(201);
    expect((await signupFrom(s, '::FFFF:c633:6407')).status).toBe(201);
    expect((await signupFrom(s, '198.51.100.7:5000')).status).toBe(201);
    await expectRateLimited(await signupFrom(s, '198.51.100.7'), signupPerIp.windowMs / 1000);
  });

  it('ip:port forwarded entries: two clients with different IPs, same port, do not share a window; one client with different ports does', async () => {
    const loginPerIp = { name: 'login_per_ip', limit: 3, windowMs: MINUTE };
    const s = await start({ env: { GATEHOUSE_TRUST_PROXY: '1' }, rateLimits: { loginPerIp } });
    const email = await registered(s);
    const loginFrom = (forwardedFor: string, password = WRONG_PASSWORD, who = uniqueEmail('target')) =>
      new TestBrowser(s.origin).request('POST', '/api/auth/login', {
        json: { email: who, password },
        headers: { 'X-Forwarded-For': forwardedFor },
      });
    // One guesser, a new source port for every connection.
    for (let i = 0; i < loginPerIp.limit; i++) {
      expect((await loginFrom(`198.51.100.1:${String(40_000 + i)}`)).status).toBe(401);
    }
    await expectRateLimited(await loginFrom('198.51.100.1:50000'), loginPerIp.windowMs / 1000);
    // Another client that happens to use the same port is not locked out with it.
    const other = await loginFrom('198.51.100.2:40000', GOOD_PASSWORD, email);
    expect(other.status).toBe(200);
    expect(await sessionIp(other)).toBe('198.51.100.2');
    // Bracketed IPv6 with a port: another client again, recorded without the port.
    const v6 = await loginFrom('[2001:DB8::7]:40000', GOOD_PASSWORD, email);
    expect(v6.status).toBe(200);
    expect(await sessionIp(v6)).toBe('2001:db8::7');
  });
});
