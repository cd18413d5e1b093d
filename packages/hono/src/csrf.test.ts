import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

// Every attack here targets POST /api/test/protected, a signed-in, state-changing route
// that counts its runs: a rejected attack must leave the count where it was.

const CSRF_COOKIE = '__Host-gh_csrf';
const ATTACKER_ORIGIN = 'http://evil.example';

let server: TestServer;
let victim: TestBrowser;

beforeEach(async () => {
  server = await startTestServer();
  victim = new TestBrowser(server.origin);
  expect((await victim.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
});
afterEach(async () => {
  await server.close();
});

async function expectRejected(response: { status: number; json(): Promise<unknown> }): Promise<void> {
  expect(response.status).toBe(403);
  expect(((await response.json()) as { code: string }).code).toBe('csrf_failed');
  expect(server.protectedCalls()).toBe(0);
}

describe('a legitimate same-origin request', () => {
  it('passes all three layers (the control for every attack below)', async () => {
    const response = await victim.request('POST', '/api/test/protected');
    expect(response.status).toBe(200);
    expect(server.protectedCalls()).toBe(1);
  });

  it('passes with a Referer from our origin when a browser sends no Origin', async () => {
    const response = await victim.request('POST', '/api/test/protected', {
      origin: null,
      headers: { Referer: `${server.origin}/account` },
    });
    expect(response.status).toBe(200);
  });

  it('passes without Fetch Metadata (older browsers) when Origin and token are right', async () => {
    const response = await victim.request('POST', '/api/test/protected', { secFetchSite: null });
    expect(response.status).toBe(200);
  });

  it('accepts the raw secret from the CSRF cookie as well as a masked token', async () => {
    await victim.request('GET', '/api/auth/csrf');
    const rawSecret = victim.cookies.get(CSRF_COOKIE) ?? '';
    const response = await victim.request('POST', '/api/test/protected', { csrf: rawSecret });
    expect(response.status).toBe(200);
  });
});

describe('layer 3: the session-bound token', () => {
  it('rejects a request with no X-CSRF-Token', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { csrf: false }));
  });

  it('rejects a wrong token of the right shape', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { csrf: 'x'.repeat(86) }));
  });

  it('rejects a malformed token', async () => {
    for (const csrf of ['', 'not a token', '%00', 'a'.repeat(5000)]) {
      await expectRejected(await victim.request('POST', '/api/test/protected', { csrf }));
    }
  });

  it("rejects a valid token taken from another user's session", async () => {
    const attacker = new TestBrowser(server.origin);
    await attacker.signup(uniqueEmail('attacker'), GOOD_PASSWORD);
    const attackerToken = await attacker.csrfToken();
    await expectRejected(await victim.request('POST', '/api/test/protected', { csrf: attackerToken }));
  });

  it('rejects a token paired with a CSRF cookie the attacker planted (the session secret wins)', async () => {
    const attacker = new TestBrowser(server.origin);
    const attackerToken = await attacker.csrfToken();
    victim.cookies.set(CSRF_COOKIE, attacker.cookies.get(CSRF_COOKIE) ?? '');
    await expectRejected(await victim.request('POST', '/api/test/protected', { csrf: attackerToken }));
  });

  it('masks the token afresh on every GET /csrf (BREACH), and each one works', async () => {
    const first = await victim.csrfToken();
    const second = await victim.csrfToken();
    expect(first).not.toBe(second);
    expect((await victim.request('POST', '/api/test/protected', { csrf: first })).status).toBe(200);
    expect((await victim.request('POST', '/api/test/protected', { csrf: second })).status).toBe(200);
  });

  it('rotates the secret on login: a token from before sign-in is dead after it', async () => {
    const email = uniqueEmail();
    await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
    const browser = new TestBrowser(server.origin);
    const before = await browser.csrfToken();
    const login = await browser.login(email, GOOD_PASSWORD);
    expect(findSetCookie(login, CSRF_COOKIE)?.value).toBeTruthy();
    const response = await browser.request('POST', '/api/test/protected', { csrf: before });
    expect(response.status).toBe(403);
    expect(server.protectedCalls()).toBe(0);
  });
});

describe('layer 1: Fetch Metadata', () => {
  it('rejects Sec-Fetch-Site: cross-site even with a valid token and Origin', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { secFetchSite: 'cross-site' }));
  });
});

describe('layer 2: Origin and Referer', () => {
  it('rejects a foreign Origin even with a valid token', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { origin: ATTACKER_ORIGIN }));
  });

  it('rejects a sibling origin (same-site is not same-origin) that is not trusted', async () => {
    const sibling = server.origin.replace('127.0.0.1', 'localhost');
    await expectRejected(
      await victim.request('POST', '/api/test/protected', { origin: sibling, secFetchSite: 'same-site' }),
    );
  });

  it('rejects Origin: null (sandboxed frames, data: URLs)', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { origin: 'null' }));
  });

  it('rejects an unparsable Origin', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { origin: 'http://[::1' }));
  });

  it('rejects a request with neither Origin nor Referer', async () => {
    await expectRejected(await victim.request('POST', '/api/test/protected', { origin: null }));
  });

  it('rejects a foreign Referer when Origin is absent', async () => {
    await expectRejected(
      await victim.request('POST', '/api/test/protected', {
        origin: null,
        headers: { Referer: `${ATTACKER_ORIGIN}/page` },
      }),
    );
  });

  it('trusts an extra origin listed in TRUSTED_ORIGINS', async () => {
    const other = await startTestServer({ env: { TRUSTED_ORIGINS: 'https://app.example' } });
    try {
      const browser = new TestBrowser(other.origin);
      await browser.signup(uniqueEmail(), GOOD_PASSWORD);
      const response = await browser.request('POST', '/api/test/protected', { origin: 'https://app.example' });
      expect(response.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

// Issue 15 item 12: browsers name http://localhost:3000 and http://127.0.0.1:3000 two
// origins, so a developer who opened the app at 127.0.0.1 could not even sign up.
describe('layer 2 in development: the loopback spellings of a localhost public origin', () => {
  it('in development, a sign-up from http://127.0.0.1:<port> when PUBLIC_ORIGIN is http://localhost:<port> succeeds', async () => {
    // PUBLIC_ORIGIN unset: the default, http://localhost:<the port it listens on>, as `npm start`.
    const dev = await startTestServer({ env: { NODE_ENV: 'development', PUBLIC_ORIGIN: '' } });
    try {
      expect(dev.gatehouse.config.publicOrigin).toBe(`http://localhost:${String(dev.port)}`);
      expect(dev.origin).toBe(`http://127.0.0.1:${String(dev.port)}`);
      const email = uniqueEmail();
      const browser = new TestBrowser(dev.origin); // sends Origin: http://127.0.0.1:<port>
      expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
      expect((await browser.request('POST', '/api/test/protected')).status).toBe(200);
      const ipv6 = new TestBrowser(dev.origin);
      const signup = await ipv6.request('POST', '/api/auth/signup', {
        json: { email: uniqueEmail(), password: GOOD_PASSWORD },
        origin: `http://[::1]:${String(dev.port)}`,
      });
      expect(signup.status).toBe(201);
    } finally {
      await dev.close();
    }
  });

  it('in development, another port or a cross-site request from a loopback address is still refused', async () => {
    const dev = await startTestServer({ env: { NODE_ENV: 'development', PUBLIC_ORIGIN: '' } });
    try {
      const browser = new TestBrowser(dev.origin);
      expect((await browser.signup(uniqueEmail(), GOOD_PASSWORD)).status).toBe(201);
      const otherApp = `http://127.0.0.1:${String(dev.port === 65535 ? 1 : dev.port + 1)}`;
      for (const response of [
        await browser.request('POST', '/api/test/protected', { origin: otherApp }),
        await browser.request('POST', '/api/test/protected', { secFetchSite: 'cross-site' }),
        await browser.request('POST', '/api/test/protected', { csrf: false }),
      ]) {
        expect(response.status).toBe(403);
      }
      expect(dev.protectedCalls()).toBe(0);
    } finally {
      await dev.close();
    }
  });

  it('in production the same loopback spelling is refused: PUBLIC_ORIGIN is exact there', async () => {
    const publicOrigin = 'https://localhost:8443';
    const production = await startTestServer({
      env: { NODE_ENV: 'production', PUBLIC_ORIGIN: publicOrigin, GATEHOUSE_TRUST_PROXY: '1', MAIL_URL: 'log:' },
    });
    try {
      const https = { 'X-Forwarded-Proto': 'https' };
      const csrf = async (browser: TestBrowser) => {
        const response = await browser.request('GET', '/api/auth/csrf', { headers: https });
        return ((await response.json()) as { csrfToken: string }).csrfToken;
      };
      const email = uniqueEmail();
      const browser = new TestBrowser(production.origin);
      const refused = await browser.request('POST', '/api/auth/signup', {
        headers: https,
        origin: 'https://127.0.0.1:8443',
        csrf: await csrf(browser),
        json: { email, password: GOOD_PASSWORD },
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe('csrf_failed');
      expect(await production.stores.users.findByEmail(email)).toBeUndefined();
      // Control: the public origin itself signs up.
      const accepted = await browser.request('POST', '/api/auth/signup', {
        headers: https,
        origin: publicOrigin,
        csrf: await csrf(browser),
        json: { email, password: GOOD_PASSWORD },
      });
      expect(accepted.status).toBe(201);
    } finally {
      await production.close();
    }
  });
});

describe('the auth endpoints themselves', () => {
  it('rejects login CSRF: a cross-site form cannot sign the victim into the attacker account', async () => {
    const attackerEmail = uniqueEmail('attacker');
    await new TestBrowser(server.origin).signup(attackerEmail, GOOD_PASSWORD);
    const browser = new TestBrowser(server.origin);
    // What an attacker page can send: no readable token, its own Origin, cross-site metadata.
    const response = await browser.request('POST', '/api/auth/login', {
      json: { email: attackerEmail, password: GOOD_PASSWORD },
      csrf: false,
      origin: ATTACKER_ORIGIN,
      secFetchSite: 'cross-site',
    });
    expect(response.status).toBe(403);
    expect(findSetCookie(response, '__Host-gh_session')).toBeUndefined();
  });

  it('rejects a login with a correct Origin but no CSRF cookie and token', async () => {
    const email = uniqueEmail();
    await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
    const response = await new TestBrowser(server.origin).request('POST', '/api/auth/login', {
      json: { email, password: GOOD_PASSWORD },
      csrf: false,
    });
    expect(response.status).toBe(403);
    expect(findSetCookie(response, '__Host-gh_session')).toBeUndefined();
  });

  it('rejects a forged signup', async () => {
    const email = uniqueEmail();
    const response = await new TestBrowser(server.origin).request('POST', '/api/auth/signup', {
      json: { email, password: GOOD_PASSWORD },
      origin: ATTACKER_ORIGIN,
    });
    expect(response.status).toBe(403);
    expect(await server.stores.users.findByEmail(email)).toBeUndefined();
  });

  it('rejects a forged logout: the session survives', async () => {
    const response = await victim.request('POST', '/api/auth/logout', { csrf: false });
    expect(response.status).toBe(403);
    expect((await victim.me()).status).toBe(200);
  });

  it('rejects a forged password change: the old password still works', async () => {
    const email = uniqueEmail();
    const browser = new TestBrowser(server.origin);
    await browser.signup(email, GOOD_PASSWORD);
    const response = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: 'attacker chose this' },
      origin: ATTACKER_ORIGIN,
      secFetchSite: 'cross-site',
    });
    expect(response.status).toBe(403);
    expect((await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('rejects a forged session revoke with the method-override trick', async () => {
    const { session } = (await (await victim.me()).json()) as { session: { id: string } };
    const response = await victim.request('POST', `/api/auth/sessions/${session.id}?_method=DELETE`, {
      csrf: false,
      headers: { 'X-HTTP-Method-Override': 'DELETE' },
    });
    expect(response.status).toBe(403);
    expect((await victim.me()).status).toBe(200);
  });
});
