import { fetch, type Response as UndiciResponse } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const SESSION = '__Host-gh_session';
const CSRF = '__Host-gh_csrf';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A 4xx problem+json with the given code; returns the body for further checks. */
async function expectProblem(response: UndiciResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; code: string; errors?: Record<string, string> };
  expect(body).toMatchObject({ status, code });
  return body;
}

/** Users in the server's database, on whichever backend the run is on. */
async function userCount(): Promise<number> {
  const rows = await server.database.rows('select count(*) as n from users');
  return Number(rows[0]?.n);
}

function post(browser: TestBrowser, path: string, body: string, contentType = 'application/json') {
  return browser.request('POST', path, { body, headers: { 'Content-Type': contentType } });
}

/** What a same-origin tab sends on an unsafe request, for requests made without TestBrowser. */
function sameOriginHeaders(csrfToken: string): Record<string, string> {
  return { Origin: server.origin, 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': csrfToken };
}

const AUTH_BODY_ROUTES = ['/api/auth/signup', '/api/auth/login'];

describe('bodies that are not the object we expect', () => {
  const email = uniqueEmail('malformed');
  const cases: [string, string][] = [
    ['invalid JSON', '{"email": "a@example.test", "password": '],
    ['JSON null', 'null'],
    ['a JSON array', `[${JSON.stringify({ email, password: GOOD_PASSWORD })}]`],
    ['a JSON number', '42'],
    ['a JSON string', '"hello"'],
    ['an empty object', '{}'],
    ['a missing password', JSON.stringify({ email })],
    ['a missing email', JSON.stringify({ password: GOOD_PASSWORD })],
    ['a numeric email', JSON.stringify({ email: 123, password: GOOD_PASSWORD })],
    ['an object password', JSON.stringify({ email, password: {} })],
    ['an array password', JSON.stringify({ email, password: [GOOD_PASSWORD] })],
    ['an email without @', JSON.stringify({ email: 'not-an-email', password: GOOD_PASSWORD })],
    [
      'an email over 254 characters',
      JSON.stringify({ email: `${'a'.repeat(250)}@example.test`, password: GOOD_PASSWORD }),
    ],
    ['an empty body', ''],
  ];
  for (const path of AUTH_BODY_ROUTES) {
    it.each(cases)(`${path}: %s is a 400 validation_failed that creates nothing`, async (_name, body) => {
      const browser = new TestBrowser(server.origin);
      const before = await userCount();
      const response = await post(browser, path, body);
      await expectProblem(response, 400, 'validation_failed');
      expect(findSetCookie(response, SESSION)).toBeUndefined();
      expect(await userCount()).toBe(before);
    });
  }
});

describe('password policy: length, not composition (NIST SP 800-63B)', () => {
  it.each([
    ['7 characters', 'a'.repeat(7)],
    ['129 characters', 'a'.repeat(129)],
  ])('refuses a password of %s with errors.password', async (_name, password) => {
    const email = uniqueEmail();
    const body = await expectProblem(
      await new TestBrowser(server.origin).signup(email, password),
      400,
      'validation_failed',
    );
    expect(body.errors?.password).toEqual(expect.any(String));
    expect(await server.stores.users.findByEmail(email)).toBeUndefined();
  });

  it.each([
    ['exactly 8 characters', 'tgv8wq2m'],
    ['exactly 128 characters', 'kx'.repeat(64)],
    ['no composition rules', 'zebrafinchmoss'],
  ])('accepts %s, and the password then signs in', async (_name, password) => {
    const email = uniqueEmail();
    expect((await new TestBrowser(server.origin).signup(email, password)).status).toBe(201);
    expect((await new TestBrowser(server.origin).login(email, password)).status).toBe(200);
  });
});

describe('prototype pollution and mass assignment', () => {
  it('ignores __proto__, constructor and unknown fields: no admin, no chosen id', async () => {
    const email = uniqueEmail();
    const body = `{"email":"${email}","password":"${GOOD_PASSWORD}","__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"admin":true,"id":"chosen-id","createdAt":0}`;
    const response = await post(new TestBrowser(server.origin), '/api/auth/signup', body);
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: Record<string, unknown> };
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id', 'name']);
    expect(user.id).not.toBe('chosen-id');
    expect(user.createdAt).not.toBe(new Date(0).toISOString());
    // The server runs in this process: its Object.prototype must be untouched.
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await server.stores.users.findByEmail(email))?.id).toBe(user.id);
  });
});

describe('bodies a cross-site form could send', () => {
  // One huge body per test: each test has its own server, so its own connection.
  it.each(AUTH_BODY_ROUTES)('%s refuses a 1 MB JSON body with 413 payload_too_large', async (path) => {
    const huge = JSON.stringify({ email: uniqueEmail(), password: GOOD_PASSWORD, padding: 'x'.repeat(1024 * 1024) });
    const response = await post(new TestBrowser(server.origin), path, huge);
    await expectProblem(response, 413, 'payload_too_large');
    expect(findSetCookie(response, SESSION)).toBeUndefined();
    expect(await userCount()).toBe(0);
  });

  it('refuses a 1 MB body streamed without Content-Length with 413', async () => {
    const browser = new TestBrowser(server.origin);
    const token = await browser.csrfToken();
    const encoder = new TextEncoder();
    // A stream has no known length, so the body goes out chunked, without Content-Length.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`{"email":"${uniqueEmail()}","password":"${GOOD_PASSWORD}","padding":"`));
        for (let i = 0; i < 16; i++) controller.enqueue(encoder.encode(' '.repeat(64 * 1024)));
        controller.enqueue(encoder.encode('"}'));
        controller.close();
      },
    });
    const response = await fetch(`${server.origin}/api/auth/signup`, {
      method: 'POST',
      headers: { ...sameOriginHeaders(token), Cookie: browser.cookieHeader(), 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    });
    await expectProblem(response, 413, 'payload_too_large');
    expect(await userCount()).toBe(0);
  });

  const email = uniqueEmail('owner');
  const json = JSON.stringify({ email, password: GOOD_PASSWORD });
  const bodies: [string, string, string][] = [
    ['form-urlencoded', 'application/x-www-form-urlencoded', `email=${encodeURIComponent(email)}&password=x`],
    ['text/plain carrying JSON', 'text/plain', json],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=XX',
      `--XX\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--XX--\r\n`,
    ],
  ];
  for (const path of AUTH_BODY_ROUTES) {
    it.each(bodies)(`${path}: %s is a 415 and signs nobody in`, async (_name, contentType, body) => {
      if (path.endsWith('login')) await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
      const before = await userCount();
      const browser = new TestBrowser(server.origin);
      const response = await post(browser, path, body, contentType);
      await expectProblem(response, 415, 'unsupported_media_type');
      expect(findSetCookie(response, SESSION)).toBeUndefined();
      expect(await userCount()).toBe(before);
    });
  }

  it('refuses a body without Content-Type with 415', async () => {
    const browser = new TestBrowser(server.origin);
    const token = await browser.csrfToken();
    for (const path of AUTH_BODY_ROUTES) {
      // A byte body: fetch adds no Content-Type for it (a string would get text/plain).
      const response = await fetch(`${server.origin}${path}`, {
        method: 'POST',
        headers: { ...sameOriginHeaders(token), Cookie: browser.cookieHeader() },
        body: new TextEncoder().encode(JSON.stringify({ email: uniqueEmail(), password: GOOD_PASSWORD })),
      });
      await expectProblem(response, 415, 'unsupported_media_type');
    }
    expect(await userCount()).toBe(0);
  });
});

describe('garbage session cookies', () => {
  const values: [string, string][] = [
    ['empty', ''],
    ['bad percent-encoding', '%%%'],
    ['10 000 characters long', 'A'.repeat(10_000)],
    ['non-ASCII', 'sésame-ouvre-toi'],
    ['well-formed but unknown', 'b'.repeat(43)],
  ];
  it.each(values)(
    'a session cookie that is %s is simply signed out (401), and /csrf still works',
    async (_name, value) => {
      const browser = new TestBrowser(server.origin);
      browser.cookies.set(SESSION, value);
      await expectProblem(await browser.me(), 401, 'unauthenticated');
      expect((await browser.request('GET', '/api/auth/csrf')).status).toBe(200);
    },
  );

  it.each([
    ['two session cookies in one header', `${SESSION}=${'c'.repeat(43)}; ${SESSION}=${'d'.repeat(43)}`],
    ['10 KB of junk', `junk=${'%;='.repeat(3400)}`],
  ])('a Cookie header with %s is 401 on /me and 200 on /csrf', async (_name, cookie) => {
    const browser = new TestBrowser(server.origin);
    await expectProblem(
      await browser.request('GET', '/api/auth/me', { headers: { Cookie: cookie } }),
      401,
      'unauthenticated',
    );
    expect((await browser.request('GET', '/api/auth/csrf', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('a planted garbage CSRF cookie is replaced by /csrf, and sign-up still works', async () => {
    const browser = new TestBrowser(server.origin);
    browser.cookies.set(CSRF, '%%%');
    const response = await browser.request('GET', '/api/auth/csrf');
    expect(response.status).toBe(200);
    expect(findSetCookie(response, CSRF)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await browser.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
  });
});

describe('unknown routes and wrong methods', () => {
  // Regression: mountGatehouse once left unmatched routes to Hono's text/plain 404.
  it.each([
    ['GET', '/api/nothing-here'],
    ['POST', '/api/auth/nothing-here'],
    ['GET', '/api/auth/logout'],
    ['GET', '/api/auth/password'],
  ])('%s %s is a problem+json 404 not_found', async (method, path) => {
    await expectProblem(await new TestBrowser(server.origin).request(method, path), 404, 'not_found');
  });

  it('GET on POST-only routes changes nothing: the session survives GET /logout and /logout-all', async () => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
    for (const path of ['/api/auth/logout', '/api/auth/logout-all']) {
      const response = await browser.request('GET', path);
      expect(response.status).toBe(404);
      expect(findSetCookie(response, SESSION)).toBeUndefined();
    }
    expect((await browser.me()).status).toBe(200);
  });

  it.each([
    ['garbage', encodeURIComponent("'; drop table sessions; --")],
    ['very long', 'x'.repeat(4000)],
    ['path traversal', '..%2F..%2Fhealth'],
    ['a bad percent-escape', '%zz'],
  ])('DELETE /api/auth/sessions/<%s id> is 404 and revokes nothing', async (_name, id) => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
    await expectProblem(await browser.request('DELETE', `/api/auth/sessions/${id}`), 404, 'not_found');
    expect((await browser.me()).status).toBe(200);
  });
});

describe('email normalization', () => {
  it('is case-insensitive and trimmed: one account per address, whatever the spelling', async () => {
    const signup = await new TestBrowser(server.origin).signup('Ada@Example.TEST ', GOOD_PASSWORD);
    expect(signup.status).toBe(201);
    expect(((await signup.json()) as { user: { email: string } }).user.email).toBe('ada@example.test');
    expect((await new TestBrowser(server.origin).login('ada@example.test', GOOD_PASSWORD)).status).toBe(200);
    expect((await new TestBrowser(server.origin).login('  ADA@example.test', GOOD_PASSWORD)).status).toBe(200);

    const again = await new TestBrowser(server.origin).signup('ADA@EXAMPLE.test', 'another password entirely');
    await expectProblem(again, 409, 'email_taken');
    expect(findSetCookie(again, SESSION)).toBeUndefined();
    expect(await userCount()).toBe(1);
  });
});
