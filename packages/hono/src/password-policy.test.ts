import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { expectProblem, MINUTE, resetTokenFor, signUp, userRow, mailingServers } from './test-mail.js';

// NIST SP 800-63B §3.1.1.2 over HTTP: weak passwords refused with the reason, wherever a
// password is set (sign-up, change, reset), and POST /password-check for forms.

const mailing = mailingServers();
const { startServer } = mailing;

function passwordCheck(server: TestServer, body: unknown) {
  return new TestBrowser(server.origin).request('POST', '/api/auth/password-check', { json: body });
}

const COMMON = /common/;
const CONTEXT = /name, email address/;

describe('sign-up refuses a weak password', () => {
  it('refuses the most common passwords and their padded variants with errors.password, and makes no account', async () => {
    const server = await startServer();
    for (const password of ['password', '12345678', 'qwertyuiop', 'PassWord', 'Password2024!', '!!sunshine1!!']) {
      const email = uniqueEmail();
      const browser = new TestBrowser(server.origin);
      const problem = await expectProblem(await browser.signup(email, password), 400, 'validation_failed');
      expect(problem.errors?.password, password).toMatch(COMMON);
      expect(await userRow(server, email)).toBeUndefined();
      expect(browser.cookies.has('__Host-gh_session')).toBe(false);
    }
  });

  it("refuses a password built from the address's own local part, or the user's name", async () => {
    const server = await startServer();
    const email = uniqueEmail('xanthe.vorderman');
    const localPart = email.slice(0, email.indexOf('@'));
    for (const [password, name] of [
      [`${localPart}2024`, undefined],
      [email, undefined],
      ['vorderman1815!', undefined],
      ['quillbottom1969!', 'Zephyrine Quillbottom'],
      ['gatehouse2024', undefined], // the app's own name
    ] as const) {
      const response = await new TestBrowser(server.origin).signup(email, password, name);
      const problem = await expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.password, password).toMatch(CONTEXT);
    }
    expect(await userRow(server, email)).toBeUndefined();
  });

  it('refuses too short, too long and blank passwords, saying which', async () => {
    const server = await startServer();
    for (const [password, reason] of [
      ['short', /at least 8/],
      ['密码密码密码密', /at least 8/], // 7 code points
      ['x'.repeat(129), /at most 128/],
      [' '.repeat(8), /spaces/],
    ] as const) {
      const email = uniqueEmail();
      const problem = await expectProblem(
        await new TestBrowser(server.origin).signup(email, password),
        400,
        'validation_failed',
      );
      expect(problem.errors?.password).toMatch(reason);
      expect(await userRow(server, email)).toBeUndefined();
    }
    // 8 code points and 128 characters are within bounds.
    expect((await new TestBrowser(server.origin).signup(uniqueEmail(), '密码密码密码密码')).status).toBe(201);
    expect((await new TestBrowser(server.origin).signup(uniqueEmail(), `${'z'.repeat(127)}!`)).status).toBe(201);
  });
});

describe('changing and resetting refuse a weak password too', () => {
  it('a password change to a weak password is 400 errors.newPassword, and nothing changes', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server, uniqueEmail('grace.hopper'));
    const other = new TestBrowser(server.origin);
    expect((await other.login(email, GOOD_PASSWORD)).status).toBe(200);
    const hash = (await userRow(server, email))?.password_hash;
    const localPart = email.slice(0, email.indexOf('@'));

    for (const [newPassword, reason] of [
      ['password', COMMON],
      ['iloveyou', COMMON],
      [`${localPart}!!`, CONTEXT],
      ['short', /at least 8/],
    ] as const) {
      const response = await browser.request('POST', '/api/auth/password', {
        json: { currentPassword: GOOD_PASSWORD, newPassword },
      });
      const problem = await expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.newPassword, newPassword).toMatch(reason);
    }
    expect((await userRow(server, email))?.password_hash).toBe(hash);
    expect((await other.me()).status).toBe(200);
    const sessions = await server.database.rows(`select id from sessions where user_id = '${userId}'`);
    expect(sessions).toHaveLength(2);
  });

  it("a reset to a password built from the owner's name is 400 errors.newPassword (the link knows whose it is)", async () => {
    const server = await startServer();
    const email = uniqueEmail();
    expect((await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD, 'Zephyrine Quillbottom')).status).toBe(
      201,
    );
    const token = await resetTokenFor(server, mailing.catcher, email);
    const hash = (await userRow(server, email))?.password_hash;
    const response = await new TestBrowser(server.origin).request('POST', '/api/auth/password-reset/confirm', {
      json: { token, newPassword: 'zephyrine1918' },
    });
    const problem = await expectProblem(response, 400, 'validation_failed');
    expect(problem.errors?.newPassword).toMatch(CONTEXT);
    expect((await userRow(server, email))?.password_hash).toBe(hash);
  });
});

describe('POST /password-check', () => {
  it('answers acceptable:false with the code and a message for each kind of weak password', async () => {
    const server = await startServer();
    const cases: [unknown, string][] = [
      [{ password: 'password' }, 'common'],
      [{ password: 'Password2024!' }, 'common'],
      [{ password: 'short' }, 'too_short'],
      [{ password: 'x'.repeat(129) }, 'too_long'],
      [{ password: 'x'.repeat(1024) }, 'too_long'],
      [{ password: 'ada.lovelace2024', email: 'ada.lovelace@example.test' }, 'context'],
      [{ password: 'quillbottom1969!', name: 'Zephyrine Quillbottom' }, 'context'],
      [{ password: 'gatehouse123' }, 'context'],
    ];
    for (const [body, code] of cases) {
      const response = await passwordCheck(server, body);
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { acceptable: boolean; code: string; message: string };
      expect(answer, JSON.stringify(body).slice(0, 60)).toMatchObject({ acceptable: false, code });
      expect(answer.message).toEqual(expect.any(String));
    }
  });

  it('answers exactly {acceptable: true} for a good password, and stores nothing of what it was sent', async () => {
    const server = await startServer();
    const response = await passwordCheck(server, {
      password: GOOD_PASSWORD,
      email: 'someone@example.test',
      name: 'Some One',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ acceptable: true });
    await passwordCheck(server, { password: 'a very secret candidate phrase' });

    expect(await server.database.rows('select * from users')).toEqual([]);
    const audit = await server.database.rows('select * from audit_events');
    expect(JSON.stringify(audit)).not.toContain('candidate');
    expect(JSON.stringify(audit)).not.toContain('someone@example.test');
  });

  it('rejects bad input with a 4xx problem', async () => {
    const server = await startServer();
    const browser = new TestBrowser(server.origin);
    for (const body of [
      {},
      { password: 0 },
      { password: null },
      { password: 'x'.repeat(1025) },
      { password: 'long enough', email: 7 },
    ]) {
      await expectProblem(
        await browser.request('POST', '/api/auth/password-check', { json: body }),
        400,
        'validation_failed',
      );
    }
    const text = await browser.request('POST', '/api/auth/password-check', {
      body: 'password=hunter2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(text, 415, 'unsupported_media_type');
    // Like every unsafe request, it needs the CSRF token.
    const forged = await browser.request('POST', '/api/auth/password-check', {
      json: { password: GOOD_PASSWORD },
      csrf: false,
    });
    expect(forged.status).toBe(403);
  });

  it('is rate-limited per IP (429 with Retry-After)', async () => {
    const server = await startServer({
      rateLimits: { passwordCheckPerIp: { name: 'password_check_per_ip', limit: 3, windowMs: 5 * MINUTE } },
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await passwordCheck(server, { password: GOOD_PASSWORD })).status).toBe(200);
    }
    const limited = await passwordCheck(server, { password: GOOD_PASSWORD });
    await expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    server.advance(5 * MINUTE + 1_000);
    expect((await passwordCheck(server, { password: GOOD_PASSWORD })).status).toBe(200);
  });
});
