import { describe, expect, it } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';
import {
  countRows,
  DAY,
  expectProblem,
  mailTo,
  MINUTE,
  NEW_PASSWORD,
  resetTokenFor,
  settle,
  signUp,
  subjectsTo,
  SUBJECT,
  mailingServers,
} from './test-mail.js';

// Step-up ("sudo mode") over HTTP, and what it guards: API keys, signing out everywhere,
// deleting the account (spec-13). Also the new-device notice.

const mailing = mailingServers();
const { startServer } = mailing;

const KEY = { name: 'script', scopes: ['read'] };

function mintKey(browser: TestBrowser, body: unknown = KEY) {
  return browser.request('POST', '/api/auth/api-keys', { json: body });
}

async function mintedSecret(browser: TestBrowser): Promise<string> {
  const response = await mintKey(browser);
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

function reauthenticate(browser: TestBrowser, password = GOOD_PASSWORD) {
  return browser.request('POST', '/api/auth/reauthenticate', { json: { password } });
}

async function userExists(server: TestServer, userId: string): Promise<boolean> {
  return (await server.database.rows(`select id from users where id = '${userId}'`)).length === 1;
}

async function liveKeys(server: TestServer, userId: string): Promise<number> {
  const rows = await server.database.rows(
    `select count(*) as n from api_keys where user_id = '${userId}' and revoked_at is null`,
  );
  return Number(rows[0]?.n);
}

/** No audit row holds the deleted user's id; theirs are under one `deleted:` pseudonym. */
async function expectAuditForgets(server: TestServer, userId: string): Promise<void> {
  await settle(server);
  const audit = await server.database.rows('select * from audit_events');
  expect(JSON.stringify(audit)).not.toContain(userId);
  const pseudonyms = new Set(audit.map((row) => row.user_id).filter((id) => typeof id === 'string'));
  expect([...pseudonyms]).toEqual([expect.stringMatching(/^deleted:[0-9a-f]{32}$/)]);
  expect(audit.filter((row) => row.type === 'account_deleted')).toHaveLength(1);
}

/** The four actions a stolen session would use to stay after the owner recovers. */
function guardedActions(browser: TestBrowser, newEmail: string) {
  return [
    () => mintKey(browser),
    () => browser.request('POST', '/api/auth/email', { json: { newEmail } }),
    () => browser.request('DELETE', '/api/auth/account'),
    () => browser.request('POST', '/api/auth/logout-all'),
  ];
}

describe('step-up', () => {
  it('a session cookie stolen 11 minutes after sign-in cannot mint a key, move the email, delete or sign out everywhere', async () => {
    const server = await startServer();
    const { browser: owner, email, userId } = await signUp(server);
    server.advance(11 * MINUTE);
    const thief = owner.clone();
    const newEmail = uniqueEmail('thief');
    for (const action of guardedActions(thief, newEmail)) {
      await expectProblem(await action(), 403, 'reauthentication_required');
    }
    expect(await countRows(server, 'api_keys', userId)).toBe(0);
    expect(await countRows(server, 'one_time_tokens', userId)).toBe(1); // the sign-up's verification link
    expect(await userExists(server, userId)).toBe(true);
    expect(await countRows(server, 'sessions', userId)).toBe(1);
    expect((await owner.me()).status).toBe(200);
    expect((await thief.me()).status).toBe(200); // reading is still allowed: step-up guards only these
    expect(await subjectsTo(server, mailing.catcher, newEmail)).toEqual([]);
    expect(await subjectsTo(server, mailing.catcher, email)).toEqual([expect.stringMatching(SUBJECT.verify)]);
  });

  it('refuses a wrong password with 401 invalid_credentials, and the sixth guess with 429', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    server.advance(11 * MINUTE);
    for (let guess = 0; guess < 5; guess += 1) {
      const problem = await expectProblem(
        await reauthenticate(browser, `wrong guess ${String(guess)}`),
        401,
        'invalid_credentials',
      );
      expect(problem.errors?.password).toBeDefined();
    }
    const sixth = await reauthenticate(browser, GOOD_PASSWORD);
    await expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(await mintKey(browser), 403, 'reauthentication_required');
    await expectProblem(await reauthenticate(browser, ''), 400, 'validation_failed');
  });

  it('with the right password, the guarded action works for GATEHOUSE_REAUTH_WINDOW and then needs it again', async () => {
    const server = await startServer({ env: { GATEHOUSE_REAUTH_WINDOW: '120' } });
    const { browser, userId } = await signUp(server);
    server.advance(3 * MINUTE);
    await expectProblem(await mintKey(browser), 403, 'reauthentication_required');
    const response = await reauthenticate(browser);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { reauthenticatedUntil: string };
    expect(Date.parse(body.reauthenticatedUntil)).toBe(server.now() + 2 * MINUTE);
    expect((await mintKey(browser)).status).toBe(201);
    server.advance(2 * MINUTE + 1_000);
    await expectProblem(await mintKey(browser), 403, 'reauthentication_required');
    expect(await countRows(server, 'api_keys', userId)).toBe(1);
  });

  it('a re-authentication on one session does not unlock another session of the same user', async () => {
    const server = await startServer();
    const { browser: first, email, userId } = await signUp(server);
    const second = new TestBrowser(server.origin);
    expect((await second.login(email, GOOD_PASSWORD)).status).toBe(200);
    server.advance(11 * MINUTE);
    expect((await reauthenticate(second)).status).toBe(200);
    await expectProblem(await mintKey(first), 403, 'reauthentication_required');
    expect(await countRows(server, 'api_keys', userId)).toBe(0);
    expect((await mintKey(second)).status).toBe(201);
  });

  it('a native token family needs step-up too, and re-authenticates with its bearer token', async () => {
    const server = await startServer({ env: { GATEHOUSE_REAUTH_WINDOW: '120' } });
    const { email, userId } = await signUp(server);
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(email, GOOD_PASSWORD);
    server.advance(3 * MINUTE);
    const mint = () => native.request('POST', '/api/auth/api-keys', { bearer: tokens.access_token, json: KEY });
    await expectProblem(await mint(), 403, 'reauthentication_required');
    const reauth = await native.request('POST', '/api/auth/reauthenticate', {
      bearer: tokens.access_token,
      json: { password: GOOD_PASSWORD },
    });
    expect(reauth.status).toBe(200);
    expect((await mint()).status).toBe(201);
    expect(await countRows(server, 'api_keys', userId)).toBe(1);
  });

  it('an API key can neither re-authenticate nor use the guarded routes (403 forbidden)', async () => {
    const server = await startServer();
    const { browser, userId } = await signUp(server);
    const secret = await mintedSecret(browser);
    const native = new NativeClient(server.origin);
    for (const [method, path, json] of [
      ['POST', '/api/auth/reauthenticate', { password: GOOD_PASSWORD }],
      ['POST', '/api/auth/api-keys', KEY],
      ['POST', '/api/auth/email', { newEmail: uniqueEmail('thief') }],
      ['DELETE', '/api/auth/account', undefined],
      ['POST', '/api/auth/logout-all', { keepApiKeys: true }],
      ['POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }],
    ] as const) {
      await expectProblem(await native.request(method, path, { bearer: secret, json }), 403, 'forbidden');
    }
    expect(await userExists(server, userId)).toBe(true);
    expect(await countRows(server, 'api_keys', userId)).toBe(1);
    expect(await countRows(server, 'sessions', userId)).toBe(1);
    expect((await native.whoami(secret)).status).toBe(200);
  });
});

describe('API keys under control', () => {
  it('a key minted from a stolen fresh cookie dies when the victim changes the password', async () => {
    const server = await startServer();
    const { browser: victim, userId } = await signUp(server);
    const thief = victim.clone();
    const secret = await mintedSecret(thief);
    const native = new NativeClient(server.origin);
    expect((await native.whoami(secret)).status).toBe(200);

    const changed = await victim.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect((await native.whoami(secret)).status).toBe(401);
    expect((await thief.me()).status).toBe(401);
    expect((await victim.me()).status).toBe(200);
    expect(await liveKeys(server, userId)).toBe(0);
  });

  it('a key minted from a stolen fresh cookie dies when the victim resets the password', async () => {
    const server = await startServer();
    const { browser: victim, email, userId } = await signUp(server);
    const secret = await mintedSecret(victim.clone());
    const token = await resetTokenFor(server, mailing.catcher, email);
    const confirmed = await new TestBrowser(server.origin).request('POST', '/api/auth/password-reset/confirm', {
      json: { token, newPassword: NEW_PASSWORD },
    });
    expect(confirmed.status).toBe(200);
    expect((await new NativeClient(server.origin).whoami(secret)).status).toBe(401);
    expect(await liveKeys(server, userId)).toBe(0);
  });

  it('a key minted from a stolen fresh cookie dies when the victim signs out everywhere', async () => {
    const server = await startServer();
    const { browser: victim, userId } = await signUp(server);
    const thief = victim.clone();
    const secret = await mintedSecret(thief);
    const response = await victim.request('POST', '/api/auth/logout-all');
    expect(response.status).toBe(204);
    expect(findSetCookie(response, '__Host-gh_session')?.attributes.get('max-age')).toBe('0');
    expect((await new NativeClient(server.origin).whoami(secret)).status).toBe(401);
    expect((await thief.me()).status).toBe(401);
    expect((await victim.me()).status).toBe(401);
    expect(await liveKeys(server, userId)).toBe(0);
    expect(await countRows(server, 'sessions', userId)).toBe(0);
  });

  it('keepApiKeys: true on sign out everywhere ends the sessions but keeps the key (anything but a boolean is 400)', async () => {
    const server = await startServer();
    const { browser, userId } = await signUp(server);
    const secret = await mintedSecret(browser);
    const other = browser.clone();
    for (const keepApiKeys of ['yes', 1, null]) {
      const bad = browser.request('POST', '/api/auth/logout-all', { json: { keepApiKeys } });
      await expectProblem(await bad, 400, 'validation_failed');
    }
    expect(await countRows(server, 'sessions', userId)).toBe(1);
    expect((await browser.request('POST', '/api/auth/logout-all', { json: { keepApiKeys: true } })).status).toBe(204);
    expect((await other.me()).status).toBe(401);
    expect((await new NativeClient(server.origin).whoami(secret)).status).toBe(200);
    expect(await liveKeys(server, userId)).toBe(1);
  });

  it('keepApiKeys: true on a password change keeps the key', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server);
    const secret = await mintedSecret(browser);
    const other = new TestBrowser(server.origin);
    expect((await other.login(email, GOOD_PASSWORD)).status).toBe(200);
    const changed = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD, keepApiKeys: true },
    });
    expect(changed.status).toBe(200);
    expect((await other.me()).status).toBe(401);
    expect((await new NativeClient(server.origin).whoami(secret)).status).toBe(200);
    expect(await liveKeys(server, userId)).toBe(1);
  });

  it('refuses a key that never expires (unless the operator allows it) or lives over 365 days; the default is 90 days', async () => {
    const server = await startServer();
    const { browser, userId } = await signUp(server);
    for (const expiresInDays of [null, 366, 0, -1, 1.5, '30']) {
      const problem = await expectProblem(await mintKey(browser, { ...KEY, expiresInDays }), 400, 'validation_failed');
      expect(problem.errors?.expiresInDays).toBeDefined();
    }
    expect(await countRows(server, 'api_keys', userId)).toBe(0);

    const created = await mintKey(browser);
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: { expiresAt: string } };
    expect(Date.parse(apiKey.expiresAt)).toBe(server.now() + 90 * DAY);
    const longest = await mintKey(browser, { ...KEY, expiresInDays: 365 });
    expect(longest.status).toBe(201);

    const unlimited = await startServer({ env: { GATEHOUSE_API_KEY_MAX_LIFETIME: 'unlimited' } });
    const { browser: operator } = await signUp(unlimited);
    const forever = await mintKey(operator, { ...KEY, expiresInDays: null });
    expect(forever.status).toBe(201);
    expect(((await forever.json()) as { apiKey: { expiresAt: string | null } }).apiKey.expiresAt).toBeNull();
  });

  it('mails the owner a notice when a key is created', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    expect((await mintKey(browser, { name: 'deploy bot', scopes: ['read'] })).status).toBe(201);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT.apiKeyCreated);
    expect(notice.text).toContain('deploy bot');
  });
});

describe('deleting the account', () => {
  it('after step-up: 204, cookies cleared, every credential and row of the user gone, audit kept under a pseudonym', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server);
    const other = new TestBrowser(server.origin);
    expect((await other.login(email, GOOD_PASSWORD)).status).toBe(200);
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(email, GOOD_PASSWORD);
    const secret = await mintedSecret(browser);
    await resetTokenFor(server, mailing.catcher, email); // a live one-time token too
    for (const table of ['sessions', 'token_families', 'api_keys', 'one_time_tokens', 'known_devices']) {
      expect(await countRows(server, table, userId), table).toBeGreaterThan(0);
    }

    const response = await browser.request('DELETE', '/api/auth/account');
    expect(response.status).toBe(204);
    expect(findSetCookie(response, '__Host-gh_session')?.attributes.get('max-age')).toBe('0');

    expect(await userExists(server, userId)).toBe(false);
    for (const table of ['sessions', 'token_families', 'api_keys', 'one_time_tokens', 'known_devices']) {
      expect(await countRows(server, table, userId), table).toBe(0);
    }
    expect(await server.database.rows('select * from refresh_tokens')).toEqual([]);
    await expectAuditForgets(server, userId);

    await expectProblem(await browser.me(), 401, 'unauthenticated');
    await expectProblem(await other.me(), 401, 'unauthenticated');
    expect((await native.whoami(tokens.access_token)).status).toBe(401);
    expect((await native.refresh(tokens.refresh_token)).status).toBe(401);
    expect((await native.whoami(secret)).status).toBe(401);

    await mailTo(server, mailing.catcher, email, SUBJECT.deleted);
    const again = await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { user: { id: string } }).user.id).not.toBe(userId);
  });

  it('a stale access token replayed after deletion does not write the old id back into the audit trail', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server);
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(email, GOOD_PASSWORD);
    expect((await browser.request('DELETE', '/api/auth/account')).status).toBe(204);
    await expectAuditForgets(server, userId);

    // Within the access token's lifetime its family is on the denylist: the thief replays it.
    expect((await native.whoami(tokens.access_token)).status).toBe(401);
    await expectAuditForgets(server, userId);
  });

  it('a deleted account cannot be signed in to, and a stale cookie gets 401 not 500', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const stale = browser.clone();
    expect((await browser.request('DELETE', '/api/auth/account')).status).toBe(204);
    await expectProblem(await new TestBrowser(server.origin).login(email, GOOD_PASSWORD), 401, 'invalid_credentials');
    await expectProblem(await stale.request('DELETE', '/api/auth/account'), 401, 'unauthenticated');
    await expectProblem(
      await stale.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD } }),
      401,
      'unauthenticated',
    );
  });
});

describe('new-device notice', () => {
  it('mails "new sign-in" for a browser never seen before, and not again for the same browser', async () => {
    const server = await startServer();
    const { browser: first, email } = await signUp(server);
    expect((await first.login(email, GOOD_PASSWORD)).status).toBe(200); // the sign-up browser is known
    expect((await subjectsTo(server, mailing.catcher, email)).filter((s) => SUBJECT.newDevice.test(s))).toEqual([]);

    const fresh = new TestBrowser(server.origin, undefined, 'Stranger/2.0');
    expect((await fresh.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect(fresh.cookies.has('__Host-gh_device')).toBe(true);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT.newDevice);
    expect(notice.text).toContain('Stranger/2.0');

    expect((await fresh.login(email, GOOD_PASSWORD)).status).toBe(200);
    const notices = (await subjectsTo(server, mailing.catcher, email)).filter((s) => SUBJECT.newDevice.test(s));
    expect(notices).toHaveLength(1);
  });
});
