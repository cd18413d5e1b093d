import { ConfigError, loadConfig, type AuditEvent, type AuditEventType } from '@gatehouse/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const SESSION = '__Host-gh_session';
const CSRF = '__Host-gh_csrf';
const UA = 'AuditTest/1.0';
const WRONG_PASSWORD = 'not the right password';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ rateLimits: { loginPerIp: { name: 'login_per_ip', limit: 3, windowMs: 60_000 } } });
});
afterEach(async () => {
  await server.close();
});

function events(type: AuditEventType): Promise<AuditEvent[]> {
  return server.stores.audit.list({ type, limit: 1000 });
}

/** The one event of `type`, which must exist exactly once. */
async function only(type: AuditEventType): Promise<AuditEvent> {
  const found = await events(type);
  expect(found).toHaveLength(1);
  const [event] = found;
  if (event === undefined) throw new Error(`no ${type} event`);
  return event;
}

async function signedIn(email = uniqueEmail()): Promise<{ browser: TestBrowser; userId: string; sessionId: string }> {
  const browser = new TestBrowser(server.origin, undefined, UA);
  const response = await browser.signup(email, GOOD_PASSWORD);
  expect(response.status).toBe(201);
  const body = (await response.json()) as { user: { id: string }; session: { id: string } };
  return { browser, userId: body.user.id, sessionId: body.session.id };
}

const FROM_BROWSER = { ip: '127.0.0.1', userAgent: UA };

describe('what the audit trail records', () => {
  it('signup and login_succeeded, with user, session, IP and user agent', async () => {
    const email = uniqueEmail();
    const { userId, sessionId } = await signedIn(email);
    expect(await only('signup')).toMatchObject({ userId, sessionId, ...FROM_BROWSER, reason: null });

    const response = await new TestBrowser(server.origin, undefined, UA).login(email, GOOD_PASSWORD);
    const { session } = (await response.json()) as { session: { id: string } };
    expect(await only('login_succeeded')).toMatchObject({ userId, sessionId: session.id, ...FROM_BROWSER });
  });

  it('login_failed for an unknown email (no user) and for a wrong password (the user)', async () => {
    const { userId } = await signedIn('victim@example.test');
    const attacker = new TestBrowser(server.origin, undefined, UA);
    await attacker.login('nobody@example.test', WRONG_PASSWORD);
    await attacker.login('victim@example.test', WRONG_PASSWORD);
    const failed = await events('login_failed');
    expect(failed).toHaveLength(2);
    expect(failed).toContainEqual(expect.objectContaining({ userId: null, reason: 'unknown_email', ...FROM_BROWSER }));
    expect(failed).toContainEqual(expect.objectContaining({ userId, reason: 'wrong_password', ...FROM_BROWSER }));
  });

  it('logout, logout_all, session_revoked and password_changed, each with its user', async () => {
    const email = uniqueEmail();
    const { browser, userId, sessionId } = await signedIn(email);
    expect((await browser.request('POST', '/api/auth/logout')).status).toBe(204);
    expect(await only('logout')).toMatchObject({ userId, sessionId, ...FROM_BROWSER });

    const laptop = new TestBrowser(server.origin, undefined, UA);
    await laptop.login(email, GOOD_PASSWORD);
    const phone = new TestBrowser(server.origin, undefined, UA);
    const phoneSession = ((await (await phone.login(email, GOOD_PASSWORD)).json()) as { session: { id: string } })
      .session.id;
    expect((await laptop.request('DELETE', `/api/auth/sessions/${phoneSession}`)).status).toBe(204);
    expect(await only('session_revoked')).toMatchObject({ userId, ...FROM_BROWSER, reason: `revoked_${phoneSession}` });

    const change = await laptop.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new password' },
    });
    expect(change.status).toBe(200);
    const { session } = (await change.json()) as { session: { id: string } };
    expect(await only('password_changed')).toMatchObject({ userId, sessionId: session.id, ...FROM_BROWSER });

    expect((await laptop.request('POST', '/api/auth/logout-all')).status).toBe(204);
    expect(await only('logout_all')).toMatchObject({ userId, sessionId: session.id, ...FROM_BROWSER });
  });

  it('csrf_rejected with the precise reason, which the client never sees', async () => {
    const { browser, userId, sessionId } = await signedIn();
    const missing = await browser.request('POST', '/api/test/protected', { csrf: false });
    const foreign = await browser.request('POST', '/api/test/protected', { origin: 'https://evil.example' });
    const bodies = [await missing.text(), await foreign.text()];
    expect(bodies[0]).toBe(bodies[1]); // one generic csrf_failed, whatever went wrong
    expect(bodies.join()).not.toMatch(/token_missing|origin_untrusted/);
    expect(server.protectedCalls()).toBe(0);

    const rejected = await events('csrf_rejected');
    expect(rejected).toHaveLength(2);
    const context = { userId, sessionId, ...FROM_BROWSER };
    expect(rejected).toContainEqual(expect.objectContaining({ ...context, reason: 'token_missing' }));
    expect(rejected).toContainEqual(expect.objectContaining({ ...context, reason: 'origin_untrusted' }));
  });

  it('csrf_rejected before sign-in: a login CSRF attempt from a foreign origin', async () => {
    const forged = new TestBrowser(server.origin, undefined, UA);
    await forged.request('POST', '/api/auth/login', {
      origin: 'https://evil.example',
      json: { email: uniqueEmail(), password: GOOD_PASSWORD },
    });
    expect(await only('csrf_rejected')).toMatchObject({ userId: null, reason: 'origin_untrusted', ...FROM_BROWSER });
  });

  it('rate_limited with the tripped rule as the reason', async () => {
    const sprayer = new TestBrowser(server.origin, undefined, UA);
    for (let i = 0; i < 4; i++) await sprayer.login(uniqueEmail('target'), WRONG_PASSWORD);
    expect(await only('rate_limited')).toMatchObject({ reason: 'login_per_ip', ...FROM_BROWSER });
  });

  it('rate_limited on password change names the user', async () => {
    const { browser, userId } = await signedIn();
    for (let i = 0; i < 6; i++) {
      await browser.request('POST', '/api/auth/password', {
        json: { currentPassword: `${WRONG_PASSWORD} ${String(i)}`, newPassword: 'a brand new password' },
      });
    }
    expect(await only('rate_limited')).toMatchObject({ userId, reason: 'login_per_account_ip', ...FROM_BROWSER });
  });

  it('truncates an attacker-sized user agent', async () => {
    const huge = new TestBrowser(server.origin, undefined, 'U'.repeat(4000));
    await huge.login(uniqueEmail(), WRONG_PASSWORD);
    expect((await only('login_failed')).userAgent).toHaveLength(512);
  });
});

describe('no secrets in the audit trail', () => {
  it('holds no password, session cookie, CSRF token or password hash after a full flow', async () => {
    const email = uniqueEmail();
    const newPassword = 'an entirely different passphrase';
    const secrets = new Set<string>([GOOD_PASSWORD, WRONG_PASSWORD, newPassword]);
    const browser = new TestBrowser(server.origin, undefined, UA);
    const remember = () => {
      for (const name of [SESSION, CSRF]) {
        const value = browser.cookies.get(name);
        if (value !== undefined) secrets.add(value);
      }
    };
    const token = async () => {
      const value = await browser.csrfToken();
      secrets.add(value);
      remember();
      return value;
    };

    expect(
      (
        await browser.request('POST', '/api/auth/signup', {
          json: { email, password: GOOD_PASSWORD },
          csrf: await token(),
        })
      ).status,
    ).toBe(201);
    remember();
    const login = (password: string) =>
      token().then((csrf) => browser.request('POST', '/api/auth/login', { json: { email, password }, csrf }));
    expect((await login(WRONG_PASSWORD)).status).toBe(401);
    expect((await login(GOOD_PASSWORD)).status).toBe(200);
    remember();
    const change = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword },
      csrf: await token(),
    });
    expect(change.status).toBe(200);
    remember();
    const user = await server.stores.users.findByEmail(email);
    secrets.add(user?.passwordHash ?? 'missing hash');
    expect((await browser.request('POST', '/api/auth/logout', { csrf: await token() })).status).toBe(204);
    remember();

    const rows = await server.stores.audit.list({ limit: 1000 });
    expect(new Set(rows.map((row) => row.type))).toEqual(
      new Set(['signup', 'login_failed', 'login_succeeded', 'password_changed', 'logout']),
    );
    const dump = JSON.stringify(rows);
    expect(secrets.size).toBeGreaterThan(8);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    expect(dump.toLowerCase()).not.toContain('argon2');
  });
});

describe('account enumeration through the login answer', () => {
  it('an unknown email and a wrong password get byte-identical 401 invalid_credentials', async () => {
    await signedIn('known@example.test');
    const unknown = await new TestBrowser(server.origin).login('unknown@example.test', WRONG_PASSWORD);
    const wrong = await new TestBrowser(server.origin).login('known@example.test', WRONG_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(unknown.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
    const [unknownBody, wrongBody] = [await unknown.text(), await wrong.text()];
    expect(wrongBody).toBe(unknownBody);
    expect((JSON.parse(unknownBody) as { code: string }).code).toBe('invalid_credentials');
  });
});

/** Runs `attempt` `total` times, `parallel` at a time: a flood, without opening 2,000 sockets at once. */
async function flood(total: number, parallel: number, attempt: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < total; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - start) }, (_, i) => attempt(start + i));
    await Promise.all(batch);
  }
}

/** The audit rows of one type as stored (the table itself, not the store's reading of it). */
async function rowsOf(type: AuditEventType): Promise<Record<string, unknown>[]> {
  return server.database.rows(`select * from audit_events where type = '${type}'`);
}

const counted = (rows: Record<string, unknown>[]): number => rows.reduce((sum, row) => sum + Number(row.count), 0);

/** The aggregation window (a minute) ends and the sweeper runs: counted repeats are written. */
async function windowEnds(): Promise<void> {
  server.advance(61_000);
  await server.gatehouse.sweepExpired();
}

const BAD_BEARER = { headers: { Authorization: 'Bearer x' } };
const DAY = 24 * 60 * 60 * 1000;

// Issue 15, item 4: an anonymous flood of refused requests must not turn into one audit
// insert per request. Repeats of one event are counted in memory and written as one row.
describe('an anonymous flood cannot write the audit table at its own pace', () => {
  it('2,000 requests with a bad bearer token write at most a handful of rows, whose counts add up to 2,000', async () => {
    const attacker = new TestBrowser(server.origin, undefined, UA);
    await flood(2000, 50, async () => {
      expect((await attacker.request('GET', '/api/health', BAD_BEARER)).status).toBe(200);
    });
    // While the window is open the flood has cost the first few rows only.
    expect((await rowsOf('token_rejected')).length).toBeLessThanOrEqual(5);

    // The window ends: the repeats land as one row with their count.
    await windowEnds();
    const rows = await rowsOf('token_rejected');
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(counted(rows)).toBe(2000);
    expect(rows.every((row) => row.ip === '127.0.0.1' && row.reason === 'bearer:malformed')).toBe(true);
  });

  it('a login flood of 500 wrong passwords from one client writes a bounded number of rate_limited/login_failed rows with counts', async () => {
    await signedIn('flooded@example.test');
    const attacker = new TestBrowser(server.origin, undefined, UA);
    const csrf = await attacker.csrfToken();
    await flood(500, 25, async () => {
      const response = await attacker.request('POST', '/api/auth/login', {
        json: { email: 'flooded@example.test', password: WRONG_PASSWORD },
        csrf,
      });
      expect([401, 429]).toContain(response.status);
    });
    await windowEnds();
    const failed = await rowsOf('login_failed');
    const limited = await rowsOf('rate_limited');
    expect(failed.length).toBeLessThanOrEqual(6);
    expect(limited.length).toBeLessThanOrEqual(6);
    expect(counted(failed) + counted(limited)).toBe(500);
    expect(counted(limited)).toBeGreaterThan(400);
  });

  it('a single rejection is visible at once, with a count of 1', async () => {
    const attacker = new TestBrowser(server.origin, undefined, UA);
    await attacker.request('GET', '/api/health', BAD_BEARER);
    // No flush, no clock movement: the first event of a burst is written before the answer.
    const event = await only('token_rejected');
    expect(event).toMatchObject({ reason: 'bearer:malformed', count: 1, lastAt: event.at, ...FROM_BROWSER });
  });

  it('csrf_rejected floods are aggregated too', async () => {
    const forged = new TestBrowser(server.origin, undefined, UA);
    await flood(300, 25, async () => {
      const response = await forged.request('POST', '/api/auth/login', {
        origin: 'https://evil.example',
        json: { email: uniqueEmail(), password: GOOD_PASSWORD },
      });
      expect(response.status).toBe(403);
    });
    await windowEnds();
    const rows = await rowsOf('csrf_rejected');
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(counted(rows)).toBe(300);
    expect(rows.every((row) => row.reason === 'origin_untrusted')).toBe(true);
  });

  it('rotating the User-Agent on every request does not buy one row per request', async () => {
    await flood(1000, 50, async (i) => {
      const attacker = new TestBrowser(server.origin, undefined, `Flood/${String(i)}`);
      await attacker.request('GET', '/api/health', BAD_BEARER);
    });
    await windowEnds();
    const rows = await rowsOf('token_rejected');
    // 64 agents of one source are kept apart; past that they share one burst (5 rows + a count).
    expect(rows.length).toBeLessThanOrEqual(64 + 6);
    expect(counted(rows)).toBe(1000);
  });

  it('repeats counted for a user who then deletes the account are written under the pseudonym', async () => {
    const { browser, userId } = await signedIn();
    for (let i = 0; i < 12; i++) await browser.request('POST', '/api/test/protected', { csrf: false });
    expect((await browser.request('DELETE', '/api/auth/account')).status).toBe(204);
    await windowEnds();
    const rows = await rowsOf('csrf_rejected');
    expect(counted(rows)).toBe(12);
    // The 7 counted past the first 5 were written after the deletion, under the pseudonym.
    const late = rows.find((row) => Number(row.count) === 7);
    expect(late?.user_id).toMatch(/^deleted:[0-9a-f]{32}$/);
    expect(rows.map((row) => Number(row.count)).sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 1, 7]);
    expect(JSON.stringify(await server.database.rows('select * from audit_events'))).not.toContain(userId);
  });
});

describe('audit retention', () => {
  it('the sweeper deletes audit rows older than the retention and keeps newer ones', async () => {
    const attacker = new TestBrowser(server.origin, undefined, UA);
    await attacker.request('GET', '/api/health', BAD_BEARER);
    server.advance(60 * DAY);
    await attacker.request('GET', '/api/health', { headers: { Authorization: 'Bearer not.a.jwt' } });
    // Nothing is 90 days old yet.
    await server.gatehouse.sweepExpired();
    expect(await rowsOf('token_rejected')).toHaveLength(2);

    server.advance(31 * DAY);
    const swept = await server.gatehouse.sweepExpired();
    const kept = await events('token_rejected');
    expect(kept).toHaveLength(1);
    expect(kept[0]?.at).toBe(server.now() - 31 * DAY);
    expect(swept).toMatchObject({ auditEvents: 1 });
  });

  it('GATEHOUSE_AUDIT_RETENTION sets the period; nonsense and less than a day are refused at start', async () => {
    const short = await startTestServer({ env: { GATEHOUSE_AUDIT_RETENTION: String(2 * 24 * 60 * 60) } });
    try {
      await new TestBrowser(short.origin, undefined, UA).request('GET', '/api/health', BAD_BEARER);
      short.advance(3 * DAY);
      await short.gatehouse.sweepExpired();
      expect(await short.stores.audit.list({ type: 'token_rejected' })).toEqual([]);
    } finally {
      await short.close();
    }
    for (const value of ['0', '-1', '3600', 'ninety days', '1.5', '__proto__']) {
      expect(
        () => loadConfig({ NODE_ENV: 'test', GATEHOUSE_SECRET: 'x'.repeat(40), GATEHOUSE_AUDIT_RETENTION: value }),
        value,
      ).toThrow(ConfigError);
    }
  });
});
