import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const SESSION = '__Host-gh_session';
const CSRF = '__Host-gh_csrf';
const MINUTE = 60_000;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function signedIn(email = uniqueEmail()): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  const response = await browser.signup(email, GOOD_PASSWORD);
  expect(response.status).toBe(201);
  return browser;
}

describe('sign-up and sign-in', () => {
  it('signs up, sets a __Host- session cookie that script cannot read, and answers /me', async () => {
    const browser = new TestBrowser(server.origin);
    const email = uniqueEmail();
    const response = await browser.signup(email, GOOD_PASSWORD, 'Ada');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ email, name: 'Ada' });
    expect(Object.keys(body.user).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id', 'name']);

    const cookie = findSetCookie(response, SESSION);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.get('samesite')).toBe('Lax');
    expect(cookie?.attributes.get('path')).toBe('/');
    expect(cookie?.attributes.has('domain')).toBe(false);

    const csrf = findSetCookie(response, CSRF);
    expect(csrf?.attributes.has('httponly')).toBe(false); // readable by script on purpose

    const me = await browser.me();
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it('stores only the SHA-256 of the session id, never the id itself', async () => {
    const browser = await signedIn();
    const token = browser.cookies.get(SESSION) ?? '';
    const rows = await server.database.rows('select * from sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('signs in with a new session id each time', async () => {
    const email = uniqueEmail();
    await signedIn(email);
    const first = new TestBrowser(server.origin);
    const second = new TestBrowser(server.origin);
    expect((await first.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect((await second.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect(first.cookies.get(SESSION)).not.toBe(second.cookies.get(SESSION));
  });

  it('rejects session fixation: a cookie planted before login never becomes authenticated', async () => {
    const email = uniqueEmail();
    await signedIn(email);
    const victim = new TestBrowser(server.origin);
    const planted = 'A'.repeat(43); // the attacker chose this value and knows it
    victim.cookies.set(SESSION, planted);
    expect((await victim.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect(victim.cookies.get(SESSION)).not.toBe(planted);

    const attacker = new TestBrowser(server.origin);
    attacker.cookies.set(SESSION, planted);
    expect((await attacker.me()).status).toBe(401);
  });

  it('ends the session the browser already had when someone signs in over it', async () => {
    const alice = await signedIn();
    const before = alice.clone();
    const bobEmail = uniqueEmail('bob');
    await signedIn(bobEmail);
    expect((await alice.login(bobEmail, GOOD_PASSWORD)).status).toBe(200);
    expect((await before.me()).status).toBe(401);
  });
});

describe('password hashing on sign-in', () => {
  it('rehashes a stored password whose argon2 parameters are outdated', async () => {
    const databaseFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-rehash-')), 'db.sqlite');
    const weak = await startTestServer({
      databaseFile,
      passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 },
    });
    const email = uniqueEmail();
    await new TestBrowser(weak.origin).signup(email, GOOD_PASSWORD);
    expect((await weak.stores.users.findByEmail(email))?.passwordHash).toMatch(/m=8192,t=1,p=1/);
    await weak.close();

    const upgraded = await startTestServer({ databaseFile });
    try {
      expect((await new TestBrowser(upgraded.origin).login(email, GOOD_PASSWORD)).status).toBe(200);
      expect((await upgraded.stores.users.findByEmail(email))?.passwordHash).toMatch(
        /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/,
      );
      expect((await new TestBrowser(upgraded.origin).login(email, GOOD_PASSWORD)).status).toBe(200);
    } finally {
      await upgraded.close();
      rmSync(dirname(databaseFile), { recursive: true, force: true });
    }
  });
});

describe('logout and revocation', () => {
  it('logout deletes the session server-side: replaying the old cookie gets 401', async () => {
    const browser = await signedIn();
    const id = await userId(browser);
    const stolen = browser.clone();
    const response = await browser.request('POST', '/api/auth/logout');
    expect(response.status).toBe(204);
    const cleared = findSetCookie(response, SESSION);
    expect(cleared?.attributes.get('max-age')).toBe('0');
    expect(cleared?.attributes.has('secure')).toBe(true);
    expect(cleared?.attributes.get('path')).toBe('/');

    const replay = await stolen.me();
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('unauthenticated');
    expect(await server.stores.sessions.listForUser(id)).toEqual([]);
  });

  it('lists my sessions with created, last seen, IP, user agent and the current flag', async () => {
    const email = uniqueEmail();
    const laptop = new TestBrowser(server.origin, undefined, 'Laptop/1.0');
    await laptop.signup(email, GOOD_PASSWORD);
    const phone = new TestBrowser(server.origin, undefined, 'Phone/2.0');
    await phone.login(email, GOOD_PASSWORD);

    const response = await laptop.request('GET', '/api/auth/sessions');
    expect(response.status).toBe(200);
    const { sessions } = (await response.json()) as { sessions: Record<string, unknown>[] };
    expect(sessions).toHaveLength(2);
    const current = sessions.find((session) => session.current === true);
    expect(current?.userAgent).toBe('Laptop/1.0');
    expect(sessions.find((session) => session.current === false)?.userAgent).toBe('Phone/2.0');
    for (const session of sessions) {
      expect(Object.keys(session).sort()).toEqual([
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'ip',
        'kind',
        'lastSeenAt',
        'userAgent',
      ]);
      expect(session.ip).toBe('127.0.0.1');
    }
  });

  it('revokes another of my sessions: its next request is 401, mine still works', async () => {
    const email = uniqueEmail();
    const laptop = new TestBrowser(server.origin);
    await laptop.signup(email, GOOD_PASSWORD);
    const phone = new TestBrowser(server.origin);
    await phone.login(email, GOOD_PASSWORD);
    const { sessions } = (await (await laptop.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    const phoneSession = sessions.find((session) => !session.current);

    expect((await laptop.request('DELETE', `/api/auth/sessions/${phoneSession?.id ?? ''}`)).status).toBe(204);
    expect((await phone.me()).status).toBe(401);
    expect((await laptop.me()).status).toBe(200);
  });

  it("cannot revoke someone else's session: 404, and it keeps working", async () => {
    const mallory = await signedIn(uniqueEmail('mallory'));
    const victim = await signedIn(uniqueEmail('victim'));
    const { session } = (await (await victim.me()).json()) as { session: { id: string } };
    const response = await mallory.request('DELETE', `/api/auth/sessions/${session.id}`);
    expect(response.status).toBe(404);
    expect((await victim.me()).status).toBe(200);
  });

  it('log out everywhere ends every session of the user', async () => {
    const email = uniqueEmail();
    const laptop = await signedIn(email);
    const phone = new TestBrowser(server.origin);
    await phone.login(email, GOOD_PASSWORD);
    expect((await laptop.request('POST', '/api/auth/logout-all')).status).toBe(204);
    expect((await laptop.me()).status).toBe(401);
    expect((await phone.me()).status).toBe(401);
  });
});

describe('password change', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const email = uniqueEmail();
    const browser = await signedIn(email);
    const response = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: 'not my password', newPassword: 'a brand new password' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('invalid_credentials');
    expect((await browser.me()).status).toBe(200);
    expect((await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('issues a new session id and revokes every other session', async () => {
    const email = uniqueEmail();
    const browser = await signedIn(email);
    const before = browser.clone();
    const phone = new TestBrowser(server.origin);
    await phone.login(email, GOOD_PASSWORD);

    const response = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new password' },
    });
    expect(response.status).toBe(200);
    expect(browser.cookies.get(SESSION)).not.toBe(before.cookies.get(SESSION));
    expect((await browser.me()).status).toBe(200);
    expect((await before.me()).status).toBe(401);
    expect((await phone.me()).status).toBe(401);
    expect((await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await new TestBrowser(server.origin).login(email, 'a brand new password')).status).toBe(200);
  });
});

describe('expiry', () => {
  it('ends a session idle for longer than the idle timeout (1 h)', async () => {
    const browser = await signedIn();
    server.advance(61 * MINUTE);
    expect((await browser.me()).status).toBe(401);
  });

  it('slides the idle timeout while the session is used', async () => {
    const browser = await signedIn();
    for (let i = 0; i < 4; i++) {
      server.advance(50 * MINUTE);
      expect((await browser.me()).status).toBe(200);
    }
  });

  it('writes last-seen at most once a minute, so reads do not write every request', async () => {
    const browser = await signedIn();
    const lastSeen = async () => (await server.stores.sessions.listForUser(await userId(browser)))[0]?.lastSeenAt;
    const start = await lastSeen();
    server.advance(30_000);
    await browser.me();
    expect(await lastSeen()).toBe(start);
    server.advance(31_000);
    await browser.me();
    expect(await lastSeen()).toBe(server.now());
  });

  it('/me shows last-seen and expiry as they stand: unchanged until a touch, moved by it', async () => {
    const browser = await signedIn();
    const session = async () =>
      ((await (await browser.me()).json()) as { session: { lastSeenAt: string; expiresAt: string } }).session;
    const first = await session();
    server.advance(30_000);
    expect(await session()).toEqual(first);
    server.advance(31_000);
    const touched = await session();
    expect(Date.parse(touched.lastSeenAt)).toBe(server.now());
    expect(Date.parse(touched.expiresAt)).toBe(server.now() + 60 * MINUTE);
  });

  it('ends a session at its absolute lifetime (7 days) however active', async () => {
    const browser = await signedIn();
    for (let elapsed = 0; elapsed < 7 * 24 * 60; elapsed += 50) {
      server.advance(50 * MINUTE);
      const status = (await browser.me()).status;
      if (elapsed + 50 < 7 * 24 * 60) expect(status).toBe(200);
      else expect(status).toBe(401);
    }
  });

  it('sweeps expired sessions and finished rate-limit windows out of the store', async () => {
    const browser = await signedIn();
    const id = await userId(browser);
    expect(await server.gatehouse.sweepExpired()).toMatchObject({ sessions: 0, rateLimits: 0 });
    server.advance(61 * MINUTE);
    const swept = await server.gatehouse.sweepExpired();
    expect(swept.sessions).toBe(1);
    expect(swept.rateLimits).toBeGreaterThan(0); // the signup's per-IP window (1 h)
    expect(await server.stores.sessions.listForUser(id)).toEqual([]);
  });

  it('sets Max-Age to the absolute lifetime by default', async () => {
    const response = await new TestBrowser(server.origin).signup(uniqueEmail(), GOOD_PASSWORD);
    expect(findSetCookie(response, SESSION)?.attributes.get('max-age')).toBe(String(7 * 24 * 60 * 60));
  });

  it('issues a cookie that ends with the browser when asked not to remember', async () => {
    const email = uniqueEmail();
    await signedIn(email);
    const response = await new TestBrowser(server.origin).login(email, GOOD_PASSWORD, { remember: false });
    expect(response.status).toBe(200);
    const cookie = findSetCookie(response, SESSION);
    expect(cookie?.attributes.has('max-age')).toBe(false);
    expect(cookie?.attributes.has('expires')).toBe(false);
  });
});

describe('browser-session cookie setting', () => {
  it('GATEHOUSE_SESSION_BROWSER_COOKIE=true makes session cookies end with the browser', async () => {
    const other = await startTestServer({ env: { GATEHOUSE_SESSION_BROWSER_COOKIE: 'true' } });
    try {
      const response = await new TestBrowser(other.origin).signup(uniqueEmail(), GOOD_PASSWORD);
      expect(findSetCookie(response, SESSION)?.attributes.has('max-age')).toBe(false);
    } finally {
      await other.close();
    }
  });
});

async function userId(browser: TestBrowser): Promise<string> {
  const body = (await (await browser.me()).json()) as { user: { id: string } };
  return body.user.id;
}
