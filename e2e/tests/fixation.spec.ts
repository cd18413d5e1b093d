import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { createAccount } from '../support/accounts.js';
import { cookieValue } from '../support/browser-app.js';
import { appServer, sites } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { ACCESS_COOKIE, BROWSER_MODES, CREDENTIAL_COOKIES, REFRESH_COOKIE, SESSION_COOKIE } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { signInWith } from '../support/sign-in.js';

// Session fixation: the attacker gets values of their choosing into the victim's cookie jar
// before sign-in (here planted directly; __Host- names mean no sibling site could), the
// victim signs in through the real UI or SPA, and the attacker then uses the planted values.
// Every sign-in must mint new credentials; the planted ones must stay worthless.

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: credentials planted before sign-in are replaced at sign-in and stay worthless`,
    scorecard('fixation', mode, 'Blocked: new credential at every sign-in'),
    async ({ contexts }) => {
      const server = appServer(mode);
      const account = await createAccount(server, `fixation-${mode}`);
      const context = await contexts.open(mode);
      const planted = new Map(CREDENTIAL_COOKIES[mode].map((name) => [name, randomBytes(32).toString('base64url')]));
      await context.addCookies(
        [...planted].map(([name, value]) => ({
          name,
          value,
          domain: 'localhost',
          path: name === REFRESH_COOKIE ? '/api/auth/refresh' : '/',
          secure: true,
          httpOnly: true,
          sameSite: name === REFRESH_COOKIE && mode === 'memory-token' ? ('None' as const) : ('Lax' as const),
        })),
      );

      await signInWith(context, mode, account);

      const state = new ServerState(server);
      try {
        for (const [name, value] of planted) {
          expect(await cookieValue(context, server, name).catch(() => undefined), name).not.toBe(value);
          expect(state.sessionOfCookie(value)).toBeUndefined();
          expect(state.familyOfRefreshToken(value)).toBeUndefined();
        }
        // The victim's one live credential is the new one in the jar.
        if (mode === 'session') {
          const session = state.sessionOfCookie(await cookieValue(context, server, SESSION_COOKIE));
          expect(state.sessions(account.userId).map((row) => row.id)).toEqual([session?.id]);
        } else {
          const family = state.familyOfRefreshToken(await cookieValue(context, server, REFRESH_COOKIE));
          expect(state.liveFamilies(account.userId).map((row) => row.id)).toEqual([family?.id]);
        }
      } finally {
        state.close();
      }

      // The attacker replays exactly what they planted: nobody is signed in by it.
      const origin = mode === 'memory-token' ? sites().spa : server.origin;
      const cookies = [...planted].map(([name, value]) => `${name}=${value}`).join('; ');
      const me = await fetch(`${server.origin}/api/auth/me`, { headers: { Cookie: cookies } });
      expect(me.status).toBe(401);
      const refresh = planted.get(REFRESH_COOKIE);
      if (refresh !== undefined) {
        const rotated = await fetch(`${server.origin}/api/auth/refresh`, {
          method: 'POST',
          headers: { Cookie: `${REFRESH_COOKIE}=${refresh}`, Origin: origin },
        });
        expect(rotated.status).toBe(401);
      }
      expect(planted.has(SESSION_COOKIE) || planted.has(ACCESS_COOKIE) || planted.has(REFRESH_COOKIE)).toBe(true);
    },
  );
}
