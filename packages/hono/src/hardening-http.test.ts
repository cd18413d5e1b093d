import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A browser whose jar already holds a big cookie another subdomain of the site planted. */
function paddedBrowser(paddingBytes: number, dispatcher?: Agent): TestBrowser {
  const browser = new TestBrowser(server.origin, undefined, undefined, dispatcher);
  // First in the jar, so first in the Cookie header: ours come after it.
  browser.cookies.set('sibling_padding', 'x'.repeat(paddingBytes));
  return browser;
}

describe('a long Cookie header does not sign anyone out (issue 15, finding 5)', () => {
  it('a valid session plus an 8 KB padding cookie still signs in and stays signed in', async () => {
    const email = uniqueEmail('padded');
    expect((await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD)).status).toBe(201);

    const browser = paddedBrowser(8 * 1024);
    // Sign-in needs the CSRF cookie back: with it ignored this was `csrf_failed`.
    const login = await browser.login(email, GOOD_PASSWORD);
    expect(login.status).toBe(200);
    expect(browser.cookieHeader().length).toBeGreaterThan(8192);
    const me = await browser.me();
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email } });
  });

  it('a 12 KB header with our cookies after the padding: signed in, and logout works', async () => {
    const email = uniqueEmail('padded');
    const browser = paddedBrowser(12 * 1024);
    expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
    expect(browser.cookieHeader().length).toBeGreaterThan(12 * 1024);
    expect((await browser.me()).status).toBe(200);
    expect((await browser.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await browser.me()).status).toBe(401);
  });
});

describe('413 does not break the next request on a keep-alive connection (issue 15, finding 6)', () => {
  it('a 413 answers Connection: close, and the next request on a fresh undici client succeeds', async () => {
    const email = uniqueEmail('keepalive');
    expect((await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD)).status).toBe(201);
    // One pool with one connection: the second request would reuse the first one's socket.
    const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    try {
      const browser = new TestBrowser(server.origin, undefined, undefined, agent);
      const huge = await browser.request('POST', '/api/auth/login', {
        json: { email, password: GOOD_PASSWORD, padding: 'x'.repeat(2 * 1024 * 1024) },
      });
      expect(huge.status).toBe(413);
      expect(huge.headers.get('connection')).toBe('close');
      await huge.text();
      // Straight away, as a client would: the server used to keep the socket open while it
      // drained the unread body, read this request as more of that body, and drop the socket
      // 0.5 s later: undici threw `SocketError: other side closed`.
      const normal = await browser.login(email, GOOD_PASSWORD);
      expect(normal.status).toBe(200);
      expect((await browser.me()).status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});

describe('logout clears what the browser kept for this origin (issue 15, finding 8)', () => {
  async function signedIn(): Promise<TestBrowser> {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail('clear'), GOOD_PASSWORD)).status).toBe(201);
    return browser;
  }

  it.each(['/api/auth/logout', '/api/auth/logout-all'])('%s sends Clear-Site-Data: "storage"', async (path) => {
    const browser = await signedIn();
    const response = await browser.request('POST', path);
    expect(response.status).toBe(204);
    // Not "cookies": that would wipe every cookie of the registrable domain, sibling
    // subdomains' included; ours are expired by name in Set-Cookie.
    expect(response.headers.get('clear-site-data')).toBe('"storage"');
    expect((await browser.me()).status).toBe(401);
  });

  it('a refused logout (not signed in) clears nothing', async () => {
    const response = await new TestBrowser(server.origin).request('POST', '/api/auth/logout');
    expect(response.status).toBe(401);
    expect(response.headers.get('clear-site-data')).toBeNull();
  });
});
