import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { NativeClient } from '../../test-support/token-client.js';
import { createAccount } from '../support/accounts.js';
import { attackerPage, autoSubmitForm, runOnAttackerSite, visitAndAwaitApp } from '../support/attacker.js';
import { appServer, sites } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES, CREDENTIAL_COOKIES } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { currentCredentialId, signedInBrowser, whoAmI } from '../support/sign-in.js';
import { openSpa } from '../support/spa.js';

// CSRF from the attacker's site (127.0.0.1, another site than the app at localhost), in the
// victim's own browser while they are signed in. Every attempt must be refused with 403 or
// never leave the browser, and the test checks what the server holds afterwards.

const BLOCKED = 'Blocked: 403 or stopped by the browser; server state unchanged';

async function submitForms(page: Page, forms: [string, string, Record<string, string>][]) {
  const statuses: number[] = [];
  for (const [action, enctype, fields] of forms) {
    const response = await visitAndAwaitApp(page, await attackerPage(autoSubmitForm(action, enctype, fields)), action);
    statuses.push(response.status());
    if (response.status() === 403) expect(((await response.json()) as { code: string }).code).toBe('csrf_failed');
  }
  return statuses;
}

/** Resolves once the browser is done with a request to `url`, however it ended (CORP may block the body). */
function settled(page: Page, url: string): Promise<unknown> {
  return Promise.race([
    page.waitForEvent('requestfinished', (request) => request.url() === url),
    page.waitForEvent('requestfailed', (request) => request.url() === url),
  ]);
}

/** A browser whose requests can be told apart in the audit trail (other tests share the server). */
function taggedAgent(): { userAgent: string } {
  return { userAgent: `Mozilla/5.0 HeadlessChrome e2e-csrf-victim/${randomUUID()}` };
}

/** What the server's CSRF check refuses a cross-site request for, in each mode. */
const REFUSAL = (mode: string) => (mode === 'memory-token' ? 'origin_untrusted' : 'cross_site_fetch');

/** A body that a text/plain form sends as valid JSON: name + '=' + value. */
const TEXT_PLAIN_JSON = { '{"scopes":["read","write"],"name":"csrf': '"}' };

for (const mode of BROWSER_MODES) {
  test.describe(`CSRF (${mode})`, () => {
    test(
      `${mode}: auto-submitted cross-site forms (urlencoded, multipart, text/plain carrying JSON) get 403 and change nothing`,
      scorecard('csrf', mode, BLOCKED),
      async ({ contexts }) => {
        const agent = taggedAgent();
        const { context, page, server, account } = await signedInBrowser(contexts, mode, undefined, agent);
        const api = server.origin;
        const state = new ServerState(server);
        try {
          const before = state.snapshot(account.userId);
          const forms: [string, string, Record<string, string>, number][] = [
            [`${api}/api/auth/api-keys`, 'application/x-www-form-urlencoded', { name: 'csrf', scopes: 'read' }, 403],
            [`${api}/api/auth/logout-all`, 'multipart/form-data', { confirm: 'yes' }, 403],
            [`${api}/api/auth/api-keys`, 'text/plain', TEXT_PLAIN_JSON, 403],
            [
              `${api}/api/auth/password`,
              'text/plain',
              { '{"currentPassword":"x","newPassword":"pwned-pwned-x","x":"': '"}' },
              403,
            ],
          ];
          // memory-token's one ambient credential is the SameSite=None refresh cookie, which a
          // form does send: refused as a non-JSON body (415) before the token is looked at. The
          // fetch test below sends it with no body, where the Origin check answers 403.
          if (mode === 'memory-token')
            forms.push([`${api}/api/auth/refresh`, 'application/x-www-form-urlencoded', {}, 415]);
          const statuses = await submitForms(
            await context.newPage(),
            forms.map(([action, enctype, fields]) => [action, enctype, fields]),
          );
          expect(statuses).toEqual(forms.map(([, , , status]) => status));
          expect(state.snapshot(account.userId)).toEqual(before);
          // Each refusal was the server's own CSRF check (the 415 never got that far).
          const refused = forms.filter(([, , , status]) => status === 403).map(() => REFUSAL(mode));
          expect(state.auditReasons('csrf_rejected', agent.userAgent)).toEqual(refused);
          expect((await whoAmI(page, mode)).status).toBe(200);
        } finally {
          state.close();
        }
      },
    );

    test(
      `${mode}: cross-site fetch with credentials: 'include' (JSON, no-cors text/plain, simple POST) changes nothing`,
      scorecard('csrf', mode, BLOCKED),
      async ({ contexts }) => {
        const agent = taggedAgent();
        const { context, page, server, account } = await signedInBrowser(contexts, mode, undefined, agent);
        const state = new ServerState(server);
        try {
          const before = state.snapshot(account.userId);
          const attack = await context.newPage();
          const results = await runOnAttackerSite<Record<string, string>>(
            attack,
            `(async () => {
              const api = ${JSON.stringify(server.origin)};
              const out = {};
              const attempt = async (name, path, init) => {
                try {
                  const response = await fetch(api + path, { method: 'POST', credentials: 'include', ...init });
                  out[name] = response.type === 'opaque' ? 'opaque' : String(response.status);
                } catch {
                  out[name] = 'blocked';
                }
              };
              await attempt('json', '/api/auth/api-keys', {
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ name: 'csrf', scopes: ['read', 'write'] }),
              });
              await attempt('noCors', '/api/auth/api-keys', {
                mode: 'no-cors',
                headers: { 'Content-Type': 'text/plain' },
                body: JSON.stringify({ name: 'csrf', scopes: ['read', 'write'] }),
              });
              await attempt('simple', '/api/auth/logout-all', {});
              await attempt('refresh', '/api/auth/refresh', {});
              return out;
            })()`,
          );
          // The JSON call needs a preflight the app never grants to this origin, so it is never
          // sent; the others are sent, and their answers are unreadable (CORS, and CORP for no-cors).
          expect(results).toEqual({ json: 'blocked', noCors: 'blocked', simple: 'blocked', refresh: 'blocked' });
          // Those that reached the server were refused by its CSRF check. (In session and
          // jwt-cookie mode the refresh cookie is not even sent cross-site: nothing to refuse.)
          const reasons = state.auditReasons('csrf_rejected', agent.userAgent);
          expect(reasons).toEqual(Array<string>(mode === 'memory-token' ? 3 : 2).fill(REFUSAL(mode)));
          expect(state.snapshot(account.userId)).toEqual(before);
          expect((await whoAmI(page, mode)).status).toBe(200);
        } finally {
          state.close();
        }
      },
    );

    test(
      `${mode}: a method override (form field, query, header) does not turn a POST into a DELETE`,
      scorecard('csrf', mode, BLOCKED),
      async ({ contexts }) => {
        const { context, page, server, account } = await signedInBrowser(contexts, mode);
        const id = await currentCredentialId(page, mode);
        const target = `${server.origin}/api/auth/sessions/${id}`;
        const state = new ServerState(server);
        try {
          const before = state.snapshot(account.userId);
          const attack = await context.newPage();
          const statuses = await submitForms(attack, [
            [`${target}?_method=DELETE`, 'application/x-www-form-urlencoded', { _method: 'DELETE' }],
          ]);
          expect(statuses).toEqual([403]);
          const header = await runOnAttackerSite<string>(
            attack,
            `fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include',
               headers: { 'X-HTTP-Method-Override': 'DELETE' } }).then((r) => String(r.status), () => 'blocked')`,
          );
          expect(header).toBe('blocked');
          expect(state.snapshot(account.userId)).toEqual(before);
          expect((await whoAmI(page, mode)).status).toBe(200);
        } finally {
          state.close();
        }
      },
    );

    test(
      `${mode}: GET to state-changing paths (top-level navigation and <img>) changes nothing`,
      scorecard('csrf', mode, BLOCKED),
      async ({ contexts }) => {
        const { context, page, server, account } = await signedInBrowser(contexts, mode);
        const id = await currentCredentialId(page, mode);
        const state = new ServerState(server);
        try {
          const before = state.snapshot(account.userId);
          const attack = await context.newPage();
          const paths = [
            '/api/auth/logout',
            '/api/auth/logout-all?_method=POST',
            `/api/auth/sessions/${id}?_method=DELETE`,
            '/api/auth/password?newPassword=pwned-pwned-pwned',
          ];
          for (const path of paths) {
            const url = await attackerPage(`<script>location.href = ${JSON.stringify(server.origin + path)}</script>`);
            const response = await visitAndAwaitApp(attack, url, `${server.origin}${path.split('?')[0] ?? ''}`);
            expect(response.status(), path).toBe(404);
          }
          const image = await attackerPage(
            `<img src="${server.origin}/api/auth/logout-all"><img src="${server.origin}/api/auth/logout">`,
          );
          await Promise.all([
            settled(attack, `${server.origin}/api/auth/logout`),
            settled(attack, `${server.origin}/api/auth/logout-all`),
            attack.goto(image),
          ]);
          expect(state.snapshot(account.userId)).toEqual(before);
          expect((await whoAmI(page, mode)).status).toBe(200);
        } finally {
          state.close();
        }
      },
    );

    test(
      `${mode}: login CSRF (the attacker's own account, by form and by fetch) signs the victim into nothing`,
      scorecard('csrf', mode, BLOCKED),
      async ({ contexts }) => {
        const server = appServer(mode);
        const attackerAccount = await createAccount(server, `attacker-${mode}`);
        const agent = taggedAgent();
        const context = await contexts.open(mode, agent);
        // The victim has visited the app before (and holds its anonymous CSRF cookie).
        if (mode === 'memory-token') await openSpa(context, sites().spa, server);
        else await (await context.newPage()).goto(`${server.origin}/`);
        const state = new ServerState(server);
        try {
          const before = state.snapshot(attackerAccount.userId);
          const credentials = { email: attackerAccount.email, password: attackerAccount.password };
          const login = `${server.origin}/api/auth/login`;
          const attack = await context.newPage();
          const statuses = await submitForms(attack, [
            [login, 'application/x-www-form-urlencoded', credentials],
            [login, 'multipart/form-data', credentials],
            [
              login,
              'text/plain',
              { [`{"email":"${credentials.email}","password":"${credentials.password}","x":"`]: '"}' },
            ],
          ]);
          expect(statuses).toEqual([403, 403, 403]);
          const fetched = await runOnAttackerSite<string>(
            attack,
            `fetch(${JSON.stringify(login)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
               headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(JSON.stringify(credentials))} })
               .then((r) => r.type, () => 'blocked')`,
          );
          expect(fetched).toBe('blocked');
          expect(state.auditReasons('csrf_rejected', agent.userAgent)).toEqual(Array<string>(4).fill(REFUSAL(mode)));

          const jar = await context.cookies([server.origin, `${server.origin}/api/auth/refresh`]);
          expect(jar.filter((cookie) => CREDENTIAL_COOKIES[mode].includes(cookie.name))).toEqual([]);
          expect(state.snapshot(attackerAccount.userId)).toEqual(before);
        } finally {
          state.close();
        }
      },
    );
  });
}

test(
  'bearer: forged cross-site requests carry no credential (nothing is ambient), and the native session is untouched',
  scorecard('csrf', 'bearer', 'Not applicable: nothing ambient to forge; forged requests refused, tokens untouched'),
  async ({ contexts }) => {
    const server = appServer('session');
    const account = await createAccount(server, 'native-csrf');
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(account.email, account.password);
    const state = new ServerState(server);
    try {
      const before = state.snapshot(account.userId);
      const attack = await (await contexts.open('plain')).newPage();
      const statuses = await submitForms(attack, [
        [`${server.origin}/api/auth/logout`, 'application/x-www-form-urlencoded', {}],
        [`${server.origin}/api/auth/api-keys`, 'text/plain', TEXT_PLAIN_JSON],
        [`${server.origin}/api/auth/refresh`, 'text/plain', { '{"refresh_token":"': `${tokens.refresh_token}"}` }],
      ]);
      // The last one even carries a real refresh token: a form cannot send it as JSON.
      expect(statuses).toEqual([403, 403, 415]);
      expect(state.snapshot(account.userId)).toEqual(before);
      const me = await native.request('GET', '/api/auth/me', { bearer: tokens.access_token });
      expect(me.status).toBe(200);
    } finally {
      state.close();
    }
  },
);
