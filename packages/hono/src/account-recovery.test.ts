import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';
import {
  countRows,
  expectProblem,
  mailsTo,
  mailTo,
  MINUTE,
  NEW_PASSWORD,
  rawPost,
  resetTokenFor,
  settle,
  signUp,
  subjectsTo,
  SUBJECT,
  tokenFrom,
  userRow,
  mailingServers,
} from './test-mail.js';

// Forgotten password over HTTP (spec-13: POST /password-reset, /check, /confirm).

const mailing = mailingServers();
const { startServer } = mailing;

function askReset(server: TestServer, email: unknown, browser = new TestBrowser(server.origin)) {
  return browser.request('POST', '/api/auth/password-reset', { json: { email } });
}

function confirmReset(
  server: TestServer,
  token: string,
  newPassword = NEW_PASSWORD,
  browser = new TestBrowser(server.origin),
) {
  return browser.request('POST', '/api/auth/password-reset/confirm', { json: { token, newPassword } });
}

function checkReset(server: TestServer, token: string) {
  return new TestBrowser(server.origin).request('POST', '/api/auth/password-reset/check', { json: { token } });
}

async function passwordHash(server: TestServer, email: string): Promise<unknown> {
  return (await userRow(server, email))?.password_hash;
}

async function resetTokenRows(server: TestServer): Promise<number> {
  const rows = await server.database.rows(`select count(*) as n from one_time_tokens where purpose = 'reset_password'`);
  return Number(rows[0]?.n);
}

async function canSignIn(server: TestServer, email: string, password: string): Promise<number> {
  return (await new TestBrowser(server.origin).login(email, password)).status;
}

describe('asking for a reset link', () => {
  it('answers a registered and an unknown address with the same 202 body, and mails only the registered one', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const unknown = uniqueEmail('nobody');

    const known = await askReset(server, email);
    const stranger = await askReset(server, unknown);
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    const knownBody = await known.json();
    expect(await stranger.json()).toEqual(knownBody);
    expect(knownBody).toMatchObject({ status: 'sent' });

    expect(tokenFrom(await mailTo(server, mailing.catcher, email, SUBJECT.reset))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await subjectsTo(server, mailing.catcher, unknown)).toEqual([]);
    expect(await resetTokenRows(server)).toBe(1);
  });

  it('answers an unknown address in an odd but valid spelling with the same 202 body', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const knownBody = await (await askReset(server, email)).json();
    const odd = `  No.Body+Tag-${String(process.pid)}@Sub.Example.TEST  `;
    const response = await askReset(server, odd);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual(knownBody);
    expect(await subjectsTo(server, mailing.catcher, odd.trim().toLowerCase())).toEqual([]);
  });

  it('builds the link from PUBLIC_ORIGIN, never from a forged Host or X-Forwarded-Host (link poisoning)', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const attacker = new TestBrowser(server.origin);
    const csrfToken = await attacker.csrfToken();
    const response = await rawPost(
      server.origin,
      '/api/auth/password-reset',
      {
        Host: 'evil.example',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Proto': 'https',
        Forwarded: 'host=evil.example;proto=https',
        Origin: server.origin,
        'Sec-Fetch-Site': 'same-origin',
        'X-CSRF-Token': csrfToken,
        Cookie: attacker.cookieHeader(),
        'Content-Type': 'application/json',
      },
      JSON.stringify({ email }),
    );
    expect(response.status).toBe(202);

    const mail = await mailTo(server, mailing.catcher, email, SUBJECT.reset);
    expect(mail.links.length).toBeGreaterThan(0);
    for (const link of mail.links) expect(new URL(link).origin).toBe(server.origin);
    expect(mail.text).not.toContain('evil');
    expect(mail.html).not.toContain('evil');
    expect(mail.links.filter((link) => link.startsWith(`${server.origin}/reset-password#token=`))).toHaveLength(1);
  });

  it('refuses a sixth request for one address within the hour with 429 and Retry-After, in any letter case', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await askReset(server, email)).status).toBe(202);
    await settle(server);
    const sixth = await askReset(server, email.toUpperCase());
    await expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    await mailsTo(server, mailing.catcher, email, SUBJECT.reset, 5);
    expect(await resetTokenRows(server)).toBe(5);
    expect(
      (await subjectsTo(server, mailing.catcher, email)).filter((subject) => SUBJECT.reset.test(subject)),
    ).toHaveLength(5);
  });

  it('rejects bad input with a 4xx problem and changes nothing (no token, no mail, no lookup)', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const browser = new TestBrowser(server.origin);
    const post = (body: string, contentType = 'application/json') =>
      browser.request('POST', '/api/auth/password-reset', { body, headers: { 'Content-Type': contentType } });

    await expectProblem(await post('{}'), 400, 'validation_failed');
    await expectProblem(await post(`{"email": "${email}"`), 400, 'validation_failed'); // not JSON
    await expectProblem(await post(JSON.stringify({ email }), 'text/plain'), 415, 'unsupported_media_type');
    await expectProblem(
      await post(`email=${encodeURIComponent(email)}`, 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
    const huge = await expectProblem(
      await post(JSON.stringify({ email: `${'a'.repeat(10 * 1024)}@example.test` })),
      400,
      'validation_failed',
    );
    expect(huge.errors?.email).toBeDefined();
    for (const value of ['', 0, null, [email], { email }, '__proto__', 'not-an-address']) {
      const problem = await expectProblem(await post(JSON.stringify({ email: value })), 400, 'validation_failed');
      expect(problem.errors?.email).toBeDefined();
    }
    await expectProblem(await post('{"__proto__": {"email": "x@example.test"}}'), 400, 'validation_failed');

    expect(await subjectsTo(server, mailing.catcher, email)).toEqual([expect.stringMatching(SUBJECT.verify)]);
    expect(await resetTokenRows(server)).toBe(0);
    expect(await server.stores.audit.list({ type: 'password_reset_requested' })).toEqual([]);
  });
});

describe('using a reset link', () => {
  it('sets the password, ends every session, token family and API key, and signs in this browser alone', async () => {
    const server = await startServer();
    const { browser: owner, email, userId } = await signUp(server);
    const otherBrowser = new TestBrowser(server.origin);
    expect((await otherBrowser.login(email, GOOD_PASSWORD)).status).toBe(200);
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(email, GOOD_PASSWORD);
    const created = await owner.request('POST', '/api/auth/api-keys', { json: { name: 'script', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    expect((await native.whoami(secret)).status).toBe(200);
    expect((await native.whoami(tokens.access_token)).status).toBe(200);

    const token = await resetTokenFor(server, mailing.catcher, email);
    const resetter = new TestBrowser(server.origin);
    const response = await confirmReset(server, token, NEW_PASSWORD, resetter);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: userId, email, emailVerified: true } });
    expect(findSetCookie(response, '__Host-gh_session')?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await resetter.me()).status).toBe(200);

    await expectProblem(await owner.me(), 401, 'unauthenticated');
    await expectProblem(await otherBrowser.me(), 401, 'unauthenticated');
    expect((await native.whoami(tokens.access_token)).status).toBe(401);
    expect((await native.refresh(tokens.refresh_token)).status).toBe(401);
    expect((await native.whoami(secret)).status).toBe(401);

    expect(await canSignIn(server, email, GOOD_PASSWORD)).toBe(401);
    expect(await canSignIn(server, email, NEW_PASSWORD)).toBe(200);
    const live = await server.database.rows(
      `select count(*) as n from api_keys where user_id = '${userId}' and revoked_at is null`,
    );
    expect(Number(live[0]?.n)).toBe(0);
    const families = await server.database.rows(
      `select count(*) as n from token_families where user_id = '${userId}' and revoked_at is null`,
    );
    expect(Number(families[0]?.n)).toBe(0);
  });

  it('lets only one of two requests racing with the same link win', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const passwords = ['first racer passphrase', 'second racer passphrase'];
    const responses = await Promise.all(passwords.map((password) => confirmReset(server, token, password)));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    const loser = responses.find((response) => response.status === 400);
    if (loser) await expectProblem(loser, 400, 'invalid_token');
    const winner = passwords[responses.findIndex((response) => response.status === 200)] ?? '';
    const loserPassword = passwords.find((password) => password !== winner) ?? '';
    expect(await canSignIn(server, email, winner)).toBe(200);
    expect(await canSignIn(server, email, loserPassword)).toBe(401);
    const notices = await mailsTo(server, mailing.catcher, email, SUBJECT.passwordWasReset, 1);
    expect(notices).toHaveLength(1);
  });

  it('mails a "password was reset" notice to the account', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    expect((await confirmReset(server, await resetTokenFor(server, mailing.catcher, email))).status).toBe(200);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT.passwordWasReset);
    expect(notice.text).toContain('reset');
    expect(notice.links.some((link) => link.includes('#token='))).toBe(false);
  });

  it('refuses a link used twice: invalid_token, and the second password is not set', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    expect((await confirmReset(server, token)).status).toBe(200);
    const hash = await passwordHash(server, email);

    await expectProblem(await confirmReset(server, token, 'another fine passphrase here'), 400, 'invalid_token');
    await expectProblem(await checkReset(server, token), 400, 'invalid_token');
    expect(await passwordHash(server, email)).toBe(hash);
  });

  it('refuses a link after 30 minutes: invalid_token, password unchanged', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const hash = await passwordHash(server, email);
    server.advance(31 * MINUTE);
    await expectProblem(await checkReset(server, token), 400, 'invalid_token');
    await expectProblem(await confirmReset(server, token), 400, 'invalid_token');
    expect(await passwordHash(server, email)).toBe(hash);
    expect(await canSignIn(server, email, GOOD_PASSWORD)).toBe(200);
  });

  it('refuses the link of an older request once a newer one was asked for; the newer one works', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const first = await resetTokenFor(server, mailing.catcher, email);
    expect((await askReset(server, email)).status).toBe(202);
    const mails = await mailsTo(server, mailing.catcher, email, SUBJECT.reset, 2);
    const second = mails.map(tokenFrom).find((token) => token !== first) ?? '';
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const hash = await passwordHash(server, email);
    await expectProblem(await confirmReset(server, first), 400, 'invalid_token');
    expect(await passwordHash(server, email)).toBe(hash);
    expect((await confirmReset(server, second)).status).toBe(200);
    expect(await canSignIn(server, email, NEW_PASSWORD)).toBe(200);
  });

  it("changes only the account the link was mailed for: A's link leaves B alone", async () => {
    const server = await startServer();
    const alice = await signUp(server);
    const bob = await signUp(server);
    const aliceToken = await resetTokenFor(server, mailing.catcher, alice.email);
    const bobToken = await resetTokenFor(server, mailing.catcher, bob.email);
    const bobHash = await passwordHash(server, bob.email);

    const response = await confirmReset(server, aliceToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: alice.userId, email: alice.email } });

    expect(await passwordHash(server, bob.email)).toBe(bobHash);
    expect((await bob.browser.me()).status).toBe(200);
    expect(await countRows(server, 'sessions', bob.userId)).toBe(1);
    expect(await canSignIn(server, bob.email, GOOD_PASSWORD)).toBe(200);
    expect(await canSignIn(server, alice.email, NEW_PASSWORD)).toBe(200);
    expect((await checkReset(server, bobToken)).status).toBe(200);
    await expectProblem(await alice.browser.me(), 401, 'unauthenticated');
  });

  it('refuses guessed and malformed tokens with invalid_token, then rate-limits the guesser (429)', async () => {
    const server = await startServer({
      rateLimits: { tokenAttemptsPerIp: { name: 'token_attempts_per_ip', limit: 12, windowMs: 15 * MINUTE } },
    });
    const { email } = await signUp(server);
    const real = await resetTokenFor(server, mailing.catcher, email);
    const hash = await passwordHash(server, email);

    const guesses = [
      randomBytes(32).toString('base64url'),
      randomBytes(32).toString('base64url'),
      `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, // one character off
      'x',
      '__proto__',
      '../../reset',
      `${real}=`,
      real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
    ];
    for (const token of guesses) {
      await expectProblem(await confirmReset(server, token), 400, 'invalid_token');
    }
    // Not even the shape of a token: refused before anything is looked up.
    for (const token of ['', 'a'.repeat(201)]) {
      await expectProblem(await confirmReset(server, token), 400, 'validation_failed');
    }
    let status = 400;
    let attempts = 0;
    let retryAfter: string | null = null;
    while (status !== 429 && attempts < 20) {
      const response = await checkReset(server, randomBytes(32).toString('base64url'));
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      attempts += 1;
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Now even the real link is refused from this address: guessing cannot go on.
    await expectProblem(await confirmReset(server, real), 429, 'rate_limited');
    expect(await passwordHash(server, email)).toBe(hash);
  });

  it('refuses a link once the password was changed after it was mailed', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const changed = await browser.request('POST', '/api/auth/password', {
      json: { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    const hash = await passwordHash(server, email);

    await expectProblem(await checkReset(server, token), 400, 'invalid_token');
    await expectProblem(await confirmReset(server, token, 'the thief wants this one'), 400, 'invalid_token');
    expect(await passwordHash(server, email)).toBe(hash);
    expect(await canSignIn(server, email, NEW_PASSWORD)).toBe(200);
  });

  it('refuses a weak new password with errors.newPassword, and the link still works afterwards', async () => {
    const server = await startServer();
    const { email, userId } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const hash = await passwordHash(server, email);
    const localPart = email.slice(0, email.indexOf('@'));

    for (const weak of ['password', 'short', `${localPart}2024`]) {
      const problem = await expectProblem(await confirmReset(server, token, weak), 400, 'validation_failed');
      expect(problem.errors?.newPassword).toEqual(expect.any(String));
    }
    expect(await passwordHash(server, email)).toBe(hash);
    expect(await countRows(server, 'sessions', userId)).toBe(1);
    expect((await checkReset(server, token)).status).toBe(200);
    expect((await confirmReset(server, token)).status).toBe(200);
    expect(await canSignIn(server, email, NEW_PASSWORD)).toBe(200);
  });

  it('/password-reset/check answers a live link with its expiry and a dead one with invalid_token', async () => {
    const server = await startServer();
    const { email } = await signUp(server);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const response = await checkReset(server, token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { valid: boolean; expiresAt: string };
    expect(body.valid).toBe(true);
    expect(Date.parse(body.expiresAt)).toBe(server.now() + 30 * MINUTE);
    // Checking does not use the link up.
    expect((await checkReset(server, token)).status).toBe(200);
    await expectProblem(await checkReset(server, randomBytes(32).toString('base64url')), 400, 'invalid_token');
  });
});
