import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Response as UndiciResponse } from 'undici';
import { describe, expect, it } from 'vitest';
import { serversPerTest } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const PUBLIC_ORIGIN = 'https://reader.example';
const PRODUCTION = { NODE_ENV: 'production', PUBLIC_ORIGIN, GATEHOUSE_TRUST_PROXY: '1', MAIL_URL: 'log:' };
const HTTPS = { 'X-Forwarded-Proto': 'https' };

const start = serversPerTest();

function cspDirectives(response: UndiciResponse): Map<string, string> {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directives = new Map<string, string>();
  for (const directive of csp.split(';')) {
    const [name = '', ...values] = directive.trim().split(/\s+/);
    if (name !== '') directives.set(name.toLowerCase(), values.join(' '));
  }
  return directives;
}

/** The headers every response must carry, whatever its status. */
function expectSecurityHeaders(response: UndiciResponse): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
  const directives = cspDirectives(response);
  expect(directives.get('script-src')).toBe("'self'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toMatch(/^(same-origin|no-referrer|strict-origin)$/);
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
}

type Send = (browser: TestBrowser) => Promise<UndiciResponse>;
type Scenario = [label: string, status: number, send: Send];

const wrongLogin: Send = (b) => b.login(uniqueEmail('nobody'), 'not the right password');
const twice =
  (send: Send): Send =>
  async (b) => {
    await send(b);
    return send(b);
  };
const afterSignup =
  (send: Send): Send =>
  async (b) => {
    expect((await b.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
    return send(b);
  };

/** Error and success responses of the auth routes; the 429 comes from a loginPerIp limit of 1. */
const AUTH_SCENARIOS: Scenario[] = [
  ['a signed-out /api/auth/me', 401, (b) => b.me()],
  ['an invalid sign-up body', 400, (b) => b.request('POST', '/api/auth/signup', { json: {} })],
  ['a text/plain login', 415, (b) => b.request('POST', '/api/auth/login', { body: '{}' })],
  ['a wrong password', 401, wrongLogin],
  ['a rate-limited login', 429, twice(wrongLogin)],
  ['an oversized body', 413, (b) => b.request('POST', '/api/auth/login', { json: { pad: 'x'.repeat(32 * 1024) } })],
  ['an unknown /api/auth route', 404, (b) => b.request('GET', '/api/auth/nothing-here')],
  ['GET /api/auth/csrf', 200, (b) => b.request('GET', '/api/auth/csrf')],
  ['a signup', 201, (b) => b.signup(uniqueEmail(), GOOD_PASSWORD)],
  ['a signed-in /me', 200, afterSignup((b) => b.me())],
  ['the session list', 200, afterSignup((b) => b.request('GET', '/api/auth/sessions'))],
  ['a logout', 204, afterSignup((b) => b.request('POST', '/api/auth/logout'))],
  ['revoking an unknown session', 404, afterSignup((b) => b.request('DELETE', '/api/auth/sessions/nope'))],
];

const OTHER_SCENARIOS: Scenario[] = [
  ['GET /api/health', 200, (b) => b.request('GET', '/api/health')],
  ['a forged POST without a CSRF token', 403, (b) => b.request('POST', '/api/test/protected', { csrf: false })],
  ['an unknown /api route', 404, (b) => b.request('GET', '/api/nothing-here')],
];

const LIMIT_ONE_LOGIN = { rateLimits: { loginPerIp: { name: 'login_per_ip', limit: 1, windowMs: 60_000 } } };

describe('security headers on every kind of response (not production)', () => {
  it.each([...OTHER_SCENARIOS, ...AUTH_SCENARIOS])(
    '%s (%i) has CSP, nosniff, Referrer-Policy, COOP and no HSTS',
    async (_label, status, send) => {
      const s = await start(LIMIT_ONE_LOGIN);
      const response = await send(new TestBrowser(s.origin));
      expect(response.status).toBe(status);
      expectSecurityHeaders(response);
      expect(response.headers.has('strict-transport-security')).toBe(false);
    },
  );
});

describe('auth responses are never cached', () => {
  it.each(AUTH_SCENARIOS)('%s (%i) is Cache-Control: no-store', async (_label, status, send) => {
    const s = await start(LIMIT_ONE_LOGIN);
    const response = await send(new TestBrowser(s.origin));
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(response);
  });

  // Regression: no-store was once added by the auth routes, which a CSRF rejection in the
  // app-wide middleware never reaches.
  it('a csrf_failed 403 on an /api/auth route is Cache-Control: no-store too', async () => {
    const s = await start();
    const response = await new TestBrowser(s.origin).request('POST', '/api/auth/logout', { csrf: false });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('csrf_failed');
    expectSecurityHeaders(response);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

/** A raw request, so that the Host header can be forged (fetch always sends the real one). */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('production: HTTPS only', () => {
  it('sends HSTS for at least a year on HTTPS responses, errors included', async () => {
    const s = await start({ env: PRODUCTION });
    const browser = new TestBrowser(s.origin);
    for (const response of [
      await browser.request('GET', '/api/health', { headers: HTTPS }),
      await browser.request('GET', '/api/auth/me', { headers: HTTPS }),
      await browser.request('POST', '/api/test/protected', { headers: HTTPS, origin: PUBLIC_ORIGIN, csrf: false }),
    ]) {
      const hsts = response.headers.get('strict-transport-security') ?? '';
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0)).toBeGreaterThanOrEqual(31_536_000);
      expectSecurityHeaders(response);
    }
  });

  it('redirects plain HTTP with 308 to the public origin, same path and query', async () => {
    const s = await start({ env: PRODUCTION });
    const response = await new TestBrowser(s.origin).request('GET', '/api/auth/me?next=%2Fsettings&x=1', {
      headers: { 'X-Forwarded-Proto': 'http' },
    });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`${PUBLIC_ORIGIN}/api/auth/me?next=%2Fsettings&x=1`);
  });

  it('a forged Host header cannot choose where the redirect goes', async () => {
    const s = await start({ env: PRODUCTION });
    const response = await rawRequest(s.port, 'GET', '/account?tab=security', {
      Host: 'evil.example',
      'X-Forwarded-Proto': 'http',
    });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`${PUBLIC_ORIGIN}/account?tab=security`);
  });

  it('a POST over plain HTTP is only redirected: its handler never runs, no account is made', async () => {
    const s = await start({ env: PRODUCTION });
    const browser = new TestBrowser(s.origin);
    const email = uniqueEmail();
    const http = { 'X-Forwarded-Proto': 'http' };
    const opts = { headers: http, origin: PUBLIC_ORIGIN, csrf: 'x'.repeat(86) };
    expect((await browser.request('POST', '/api/test/protected', opts)).status).toBe(308);
    const signup = await browser.request('POST', '/api/auth/signup', {
      ...opts,
      json: { email, password: GOOD_PASSWORD },
    });
    expect(signup.status).toBe(308);
    expect(signup.headers.getSetCookie()).toEqual([]);
    expect(s.protectedCalls()).toBe(0);
    expect(await s.stores.users.findByEmail(email)).toBeUndefined();
  });

  it('a client cannot claim HTTPS with X-Forwarded-Proto when no proxy is trusted', async () => {
    const s = await start({ env: { NODE_ENV: 'production', PUBLIC_ORIGIN, MAIL_URL: 'log:' } });
    const response = await new TestBrowser(s.origin).request('GET', '/api/health', { headers: HTTPS });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`${PUBLIC_ORIGIN}/api/health`);
  });

  it('serves HTTPS requests (per the trusted proxy) normally: sign-up and /me work', async () => {
    const s = await start({ env: PRODUCTION });
    const browser = new TestBrowser(s.origin);
    const csrf = await browser.request('GET', '/api/auth/csrf', { headers: HTTPS });
    expect(csrf.status).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signup = await browser.request('POST', '/api/auth/signup', {
      headers: HTTPS,
      origin: PUBLIC_ORIGIN,
      csrf: csrfToken,
      json: { email: uniqueEmail(), password: GOOD_PASSWORD },
    });
    expect(signup.status).toBe(201);
    expect(signup.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((await browser.request('GET', '/api/auth/me', { headers: HTTPS })).status).toBe(200);
  });
});
