import { beforeEach, describe, expect, it } from 'vitest';
import { serversPerTest, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const ACCESS = '__Host-gh_access';
const REFRESH = '__Secure-gh_refresh';
const SESSION = '__Host-gh_session';
const CSRF = '__Host-gh_csrf';
const SECOND = 1000;

const start = serversPerTest();
let server: TestServer;
beforeEach(async () => {
  server = await start({ env: { GATEHOUSE_BROWSER_MODE: 'jwt-cookie' } });
});

async function signedIn(email = uniqueEmail()): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

describe('jwt-cookie browser mode', () => {
  it('signs in with an HttpOnly access-JWT cookie and a path-scoped refresh cookie, and no session cookie', async () => {
    const browser = new TestBrowser(server.origin);
    const response = await browser.signup(uniqueEmail(), GOOD_PASSWORD);
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('access_token'); // the token lives in the cookie only
    expect(body).not.toHaveProperty('refresh_token');

    const access = findSetCookie(response, ACCESS);
    expect(access?.value.split('.')).toHaveLength(3);
    expect(access?.attributes.has('httponly')).toBe(true);
    expect(access?.attributes.has('secure')).toBe(true);
    expect(access?.attributes.get('samesite')).toBe('Lax');
    expect(access?.attributes.get('path')).toBe('/');
    expect(access?.attributes.get('max-age')).toBe('600');

    const refresh = findSetCookie(response, REFRESH);
    expect(refresh?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refresh?.attributes.has('httponly')).toBe(true);
    expect(refresh?.attributes.has('secure')).toBe(true);
    expect(refresh?.attributes.get('samesite')).toBe('Strict');
    expect(refresh?.attributes.get('path')).toBe('/api/auth/refresh');

    expect(findSetCookie(response, SESSION)).toBeUndefined();
    expect((await browser.request('GET', '/api/test/whoami')).status).toBe(200);
    expect(await (await browser.request('GET', '/api/test/whoami')).json()).toMatchObject({
      credential: 'access-cookie',
    });
  });

  it('applies all three CSRF layers to requests carried by the access cookie', async () => {
    const browser = await signedIn();
    const before = server.protectedCalls();
    const noToken = await browser.request('POST', '/api/test/protected', { csrf: false });
    expect(noToken.status).toBe(403);
    const crossSite = await browser.request('POST', '/api/test/protected', {
      origin: 'https://evil.example',
      secFetchSite: 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    // A token for another family (another browser's) does not fit this one.
    const other = await signedIn();
    const foreignToken = await other.csrfToken();
    expect((await browser.request('POST', '/api/test/protected', { csrf: foreignToken })).status).toBe(403);
    expect(server.protectedCalls()).toBe(before);

    expect((await browser.request('POST', '/api/test/protected')).status).toBe(200);
    expect(server.protectedCalls()).toBe(before + 1);
  });

  it('refreshes with the cookie from a trusted Origin: new access and refresh cookies', async () => {
    const browser = await signedIn();
    const oldAccess = browser.cookies.get(ACCESS);
    const oldRefresh = browser.cookies.get(REFRESH);
    server.advance(11 * 60 * SECOND);
    browser.cookies.delete(ACCESS); // what the browser does at Max-Age
    expect((await browser.request('GET', '/api/test/whoami')).status).toBe(401);

    const response = await browser.request('POST', '/api/auth/refresh', { csrf: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ expires_in: 600 });
    expect(browser.cookies.get(ACCESS)).not.toBe(oldAccess);
    expect(browser.cookies.get(REFRESH)).not.toBe(oldRefresh);
    expect((await browser.request('GET', '/api/test/whoami')).status).toBe(200);
  });

  it('refuses a cookie refresh with no Origin or a foreign one, and rotates nothing', async () => {
    const browser = await signedIn();
    const refresh = browser.cookies.get(REFRESH);
    for (const origin of [null, 'https://evil.example', 'null']) {
      const response = await browser.request('POST', '/api/auth/refresh', { csrf: false, origin });
      expect(response.status).toBe(403);
    }
    expect(browser.cookies.get(REFRESH)).toBe(refresh);
    expect((await browser.request('POST', '/api/auth/refresh', { csrf: false })).status).toBe(200);
  });

  it('logout clears both cookies with the attributes they were set with, and replay is refused', async () => {
    const browser = await signedIn();
    const stolen = browser.clone();
    const response = await browser.request('POST', '/api/auth/logout');
    expect(response.status).toBe(204);

    const access = findSetCookie(response, ACCESS);
    expect(access?.attributes.get('max-age')).toBe('0');
    expect(access?.attributes.get('path')).toBe('/');
    expect(access?.attributes.has('secure')).toBe(true);
    expect(access?.attributes.has('httponly')).toBe(true);
    const refresh = findSetCookie(response, REFRESH);
    expect(refresh?.attributes.get('max-age')).toBe('0');
    expect(refresh?.attributes.get('path')).toBe('/api/auth/refresh');
    expect(refresh?.attributes.get('samesite')).toBe('Strict');
    expect(refresh?.attributes.has('secure')).toBe(true);
    expect(findSetCookie(response, CSRF)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The captured access JWT has 10 minutes left on its clock, and is refused anyway.
    expect((await stolen.request('GET', '/api/test/whoami')).status).toBe(401);
    const replayRefresh = await stolen.request('POST', '/api/auth/refresh', { csrf: false });
    expect(replayRefresh.status).toBe(401);
  });

  it('refresh reuse revokes the family and clears the cookies', async () => {
    const browser = await signedIn();
    const thief = browser.clone();
    expect((await browser.request('POST', '/api/auth/refresh', { csrf: false })).status).toBe(200);
    server.advance(11 * SECOND);
    const reuse = await thief.request('POST', '/api/auth/refresh', { csrf: false });
    expect(reuse.status).toBe(401);
    expect(((await reuse.json()) as { code: string }).code).toBe('token_reused');
    expect(findSetCookie(reuse, REFRESH)?.attributes.get('max-age')).toBe('0');
    // The victim's newer tokens die with the family: the thief gained nothing lasting.
    expect((await browser.request('GET', '/api/test/whoami')).status).toBe(401);
    expect((await browser.request('POST', '/api/auth/refresh', { csrf: false })).status).toBe(401);
  });

  it('a refresh cookie sent in a body is treated as stolen', async () => {
    const browser = await signedIn();
    const refresh = browser.cookies.get(REFRESH) ?? '';
    const anywhere = new TestBrowser(server.origin);
    const response = await anywhere.request('POST', '/api/auth/refresh', {
      csrf: false,
      json: { refresh_token: refresh },
    });
    expect(response.status).toBe(401);
    expect((await browser.request('GET', '/api/test/whoami')).status).toBe(401);
  });

  it('revoking the family from another device signs this browser out on its next request', async () => {
    const email = uniqueEmail();
    const laptop = await signedIn(email);
    const phone = new TestBrowser(server.origin);
    expect((await phone.login(email, GOOD_PASSWORD)).status).toBe(200);
    const sessions = (await (await phone.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; kind: string; current: boolean }[];
    };
    expect(sessions.sessions.every((session) => session.kind === 'jwt-cookie')).toBe(true);
    const laptopFamily = sessions.sessions.find((session) => !session.current);
    expect((await phone.request('DELETE', `/api/auth/sessions/${laptopFamily?.id ?? ''}`)).status).toBe(204);
    expect((await laptop.request('GET', '/api/test/whoami')).status).toBe(401);
    expect((await phone.request('GET', '/api/test/whoami')).status).toBe(200);
  });

  it('/me describes the token family as the session', async () => {
    const browser = await signedIn();
    const me = (await (await browser.me()).json()) as { session: { kind: string; current: boolean } };
    expect(me.session).toMatchObject({ kind: 'jwt-cookie', current: true });
  });
});
