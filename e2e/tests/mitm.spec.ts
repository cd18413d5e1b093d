import { TestBrowser } from '../../test-support/test-browser.js';
import { otherLoopbackAddress, PASSWORD, uniqueEmail } from '../support/accounts.js';
import type { AppServerInfo } from '../support/app-servers.js';
import { productionServer } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES, CREDENTIAL_COOKIES, REFRESH_COOKIE, SESSION_COOKIE } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { signedInBrowser } from '../support/sign-in.js';

// MITM / passive interception: what travels must only ever travel over HTTPS, and what the
// browser keeps must be out of script's reach. Cookie flags are read from the browser's own
// cookie jar, not from Set-Cookie text.

const EXPECTED_SAMESITE: Readonly<Record<string, string>> = {
  [SESSION_COOKIE]: 'Lax',
  '__Host-gh_access': 'Lax',
};

for (const mode of BROWSER_MODES) {
  test.describe(`MITM (${mode})`, () => {
    test(
      `${mode}: every credential cookie in the jar is Secure and HttpOnly, and the server keeps only its hash`,
      scorecard('mitm', mode, 'Secure + HttpOnly (read from the jar)'),
      async ({ contexts }) => {
        const { context, page, server, account } = await signedInBrowser(contexts, mode);
        const jar = await context.cookies([server.origin, `${server.origin}/api/auth/refresh`]);
        const appCookies = jar.filter((cookie) => cookie.domain === 'localhost');
        expect(appCookies.length).toBeGreaterThan(0);
        // Every cookie of the app, credential or not, is Secure: none would cross plain HTTP.
        for (const cookie of appCookies) expect(cookie.secure, cookie.name).toBe(true);

        const state = new ServerState(server);
        try {
          for (const name of CREDENTIAL_COOKIES[mode]) {
            const cookie = appCookies.find((candidate) => candidate.name === name);
            expect(cookie, `${name} in the jar`).toBeDefined();
            if (cookie === undefined) continue;
            expect(cookie.httpOnly, name).toBe(true);
            expect(cookie.secure, name).toBe(true);
            if (name === REFRESH_COOKIE) {
              expect(cookie.path).toBe('/api/auth/refresh');
              expect(cookie.sameSite).toBe(mode === 'memory-token' ? 'None' : 'Strict');
              // The server holds SHA-256 of it, which names this user's live family.
              const family = state.familyOfRefreshToken(cookie.value);
              expect(family?.revoked_at).toBeNull();
              expect(state.liveFamilies(account.userId).map((live) => live.id)).toContain(family?.id);
            } else {
              expect(cookie.path).toBe('/');
              expect(cookie.sameSite).toBe(EXPECTED_SAMESITE[name]);
            }
            if (name === SESSION_COOKIE) {
              const session = state.sessionOfCookie(cookie.value);
              expect(session).toBeDefined();
              expect(state.sessions(account.userId).map((row) => row.token_hash)).toEqual([session?.token_hash]);
              expect(session?.token_hash).not.toBe(cookie.value);
            }
            // Script on the page cannot read it (the page is the app's, or the SPA's).
            expect(await page.evaluate(() => document.cookie)).not.toContain(cookie.value);
          }
        } finally {
          state.close();
        }
      },
    );

    test(
      `${mode}: production sends HSTS, and a sign-up over plain HTTP is redirected to https:// before anything is created`,
      scorecard('mitm', mode, 'HSTS in production; plain HTTP creates nothing'),
      async ({ contexts, request }) => {
        const server = productionServer(mode);
        // Behind the TLS proxy (it says so in X-Forwarded-Proto): every answer carries HSTS.
        const context = await contexts.open('plain', { extraHTTPHeaders: { 'X-Forwarded-Proto': 'https' } });
        const page = await context.newPage();
        for (const path of ['/', '/api/auth/csrf', '/api/health']) {
          const response = await page.goto(`${server.origin}${path}`);
          expect(response?.headers()['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
        }

        // Plain HTTP: a 308 to the https:// origin, and the request was not acted on.
        const email = uniqueEmail(`plain-http-${mode}`);
        const response = await request.post(`${server.origin}/api/auth/signup`, {
          data: { email, password: PASSWORD },
          headers: { Origin: server.publicOrigin },
          maxRedirects: 0,
        });
        expect(response.status()).toBe(308);
        expect(response.headers().location).toBe(`${server.publicOrigin}/api/auth/signup`);
        expect(response.headers()['set-cookie']).toBeUndefined();
        const state = new ServerState(server);
        try {
          expect(state.userByEmail(email)).toBeUndefined();
        } finally {
          state.close();
        }
      },
    );
  });
}

test(
  'bearer: the token response sets no cookie and is never cached; production redirects plain HTTP before issuing',
  scorecard('mitm', 'bearer', 'No cookie, no-store; plain HTTP issues nothing'),
  async () => {
    const server = productionServer('session');
    const email = await seedBehindProxy(server);
    const state = new ServerState(server);
    try {
      const userId = state.userId(email);
      const familiesBefore = state.families(userId).length;

      const native = (headers: Record<string, string>) =>
        fetch(`${server.origin}/api/auth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify({ email, password: PASSWORD }),
          redirect: 'manual',
        });

      const plain = await native({});
      expect(plain.status).toBe(308);
      expect(plain.headers.get('location')).toBe(`${server.publicOrigin}/api/auth/token`);
      expect(state.families(userId)).toHaveLength(familiesBefore);

      const overTls = await native({ 'X-Forwarded-Proto': 'https' });
      expect(overTls.status).toBe(200);
      expect(overTls.headers.getSetCookie()).toEqual([]);
      expect(overTls.headers.get('cache-control')).toBe('no-store');
      expect(overTls.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      const tokens = (await overTls.json()) as { refresh_token: string };
      // Stored as a hash: a copy of the database is no copy of the token.
      expect(state.familyOfRefreshToken(tokens.refresh_token)?.client).toBe('bearer');
      expect(state.families(userId)).toHaveLength(familiesBefore + 1);
    } finally {
      state.close();
    }
  },
);

/** Production accepts only https://: sign up as if through the TLS proxy. */
async function seedBehindProxy(server: AppServerInfo): Promise<string> {
  const client = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-seed/1.0');
  const proxied = { 'X-Forwarded-Proto': 'https' };
  const csrf = (await (await client.request('GET', '/api/auth/csrf', { headers: proxied })).json()) as {
    csrfToken: string;
  };
  const email = uniqueEmail('native-production');
  const response = await client.request('POST', '/api/auth/signup', {
    json: { email, password: PASSWORD },
    headers: proxied,
    origin: server.publicOrigin,
    csrf: csrf.csrfToken,
  });
  if (response.status !== 201) throw new Error(`production seed: ${String(response.status)} ${await response.text()}`);
  return email;
}
