import { beforeEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { serversPerTest, type TestServer } from '../../../test-support/test-server.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';

const REFRESH = '__Secure-gh_refresh';
/** The SPA: another site than the API at 127.0.0.1. */
const SPA = 'http://localhost:4321';
const EVIL = 'http://evil.localhost:6666';

const start = serversPerTest();
let server: TestServer;
beforeEach(async () => {
  server = await start({ env: { GATEHOUSE_BROWSER_MODE: 'memory-token', TRUSTED_ORIGINS: SPA } });
});

/** A page of the SPA's site calling the API with credentials: 'include', as Chromium sends it. */
function spaTab(): TestBrowser {
  return new TestBrowser(server.origin, undefined, 'SpaTab/1.0');
}

async function spaRequest(
  browser: TestBrowser,
  method: string,
  path: string,
  options: Parameters<TestBrowser['request']>[2] = {},
) {
  return browser.request(method, path, { origin: SPA, secFetchSite: 'cross-site', csrf: false, ...options });
}

async function signedInSpa(): Promise<{ browser: TestBrowser; accessToken: string; email: string }> {
  const browser = spaTab();
  const email = uniqueEmail();
  const response = await spaRequest(browser, 'POST', '/api/auth/signup', { json: { email, password: GOOD_PASSWORD } });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { access_token: string };
  return { browser, accessToken: body.access_token, email };
}

describe('memory-token browser mode (cross-site SPA)', () => {
  it('answers the CORS preflight for an allowed origin only, with credentials and never *', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.origin}/api/auth/login`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
    const allowed = await preflight(SPA);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');

    const refused = await preflight(EVIL);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs in from the SPA: the access token in the body, the refresh token in a SameSite=None cookie', async () => {
    const browser = spaTab();
    const email = uniqueEmail();
    const response = await spaRequest(browser, 'POST', '/api/auth/signup', {
      json: { email, password: GOOD_PASSWORD },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(600);
    expect(body).not.toHaveProperty('refresh_token');

    const refresh = findSetCookie(response, REFRESH);
    expect(refresh?.attributes.get('samesite')).toBe('None');
    expect(refresh?.attributes.has('secure')).toBe(true);
    expect(refresh?.attributes.has('httponly')).toBe(true);
    expect(refresh?.attributes.get('path')).toBe('/api/auth/refresh');
    // No cookie carries the access token: script on the page can never find it there.
    for (const line of response.headers.getSetCookie()) expect(line).not.toContain(body.access_token);
    expect(findSetCookie(response, '__Host-gh_session')).toBeUndefined();
    expect(findSetCookie(response, '__Host-gh_access')).toBeUndefined();
  });

  it('refuses sign-in from an origin that is not allowed, or with none', async () => {
    for (const origin of [EVIL, null, 'null']) {
      const browser = spaTab();
      const response = await browser.request('POST', '/api/auth/login', {
        origin,
        secFetchSite: 'cross-site',
        csrf: false,
        json: { email: uniqueEmail(), password: GOOD_PASSWORD },
      });
      expect(response.status).toBe(403);
      expect(response.headers.getSetCookie().some((line) => line.startsWith(REFRESH))).toBe(false);
    }
  });

  it('authenticates API calls by the Authorization header', async () => {
    const { browser, accessToken, email } = await signedInSpa();
    // A cross-origin fetch sends Origin on GET too.
    const response = await spaRequest(browser, 'GET', '/api/test/whoami', {
      headers: { Authorization: `Bearer ${accessToken}`, Origin: SPA },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email, credential: 'bearer' });
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
  });

  it('refreshes by cookie from the allowed origin, returning a new access token in the body', async () => {
    const { browser, accessToken } = await signedInSpa();
    const response = await spaRequest(browser, 'POST', '/api/auth/refresh');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    expect(body.access_token).not.toBe(accessToken);
    expect(body.expires_in).toBe(600);
    expect(findSetCookie(response, REFRESH)?.attributes.get('samesite')).toBe('None');
  });

  it('refuses a cookie refresh from another origin, or without Origin, rotating nothing', async () => {
    const { browser } = await signedInSpa();
    const before = browser.cookies.get(REFRESH);
    for (const origin of [EVIL, null]) {
      const response = await spaRequest(browser, 'POST', '/api/auth/refresh', { origin });
      expect(response.status).toBe(403);
    }
    expect(browser.cookies.get(REFRESH)).toBe(before);
    expect((await spaRequest(browser, 'POST', '/api/auth/refresh')).status).toBe(200);
  });

  it('logout revokes the family, clears the refresh cookie as it was set, and replay is refused', async () => {
    const { browser, accessToken } = await signedInSpa();
    const thief = browser.clone();
    const response = await spaRequest(browser, 'POST', '/api/auth/logout', {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(response.status).toBe(204);
    const cleared = findSetCookie(response, REFRESH);
    expect(cleared?.attributes.get('max-age')).toBe('0');
    expect(cleared?.attributes.get('samesite')).toBe('None');
    expect(cleared?.attributes.get('path')).toBe('/api/auth/refresh');

    const replay = await spaRequest(thief, 'GET', '/api/test/whoami', {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(replay.status).toBe(401);
    expect((await spaRequest(thief, 'POST', '/api/auth/refresh')).status).toBe(401);
  });
});
