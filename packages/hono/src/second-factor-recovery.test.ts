import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { mailsTo, mailTo, MINUTE, mailingServers } from './test-mail.js';
import {
  expectFactorProblem,
  expectWrongCode,
  MFA_COOKIE,
  secondFactor,
  secondFactorsOf,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  SUBJECT_2FA,
  typedLoosely,
  type TotpAccount,
} from './test-second-factor.js';

// Recovery codes over HTTP (spec-14): single use, counted, regenerated only with the factor.

const mailing = mailingServers();
const { startServer } = mailing;

/** Password, then a recovery code, in a fresh browser. */
async function signInWithRecoveryCode(server: TestServer, account: TotpAccount, code: string) {
  const { browser, mfaToken } = await startSignIn(server, account.email);
  const response = await secondFactor(browser, { mfaToken, method: 'recovery_code', code });
  return { browser, response };
}

function regenerate(browser: TestBrowser) {
  return browser.request('POST', '/api/auth/recovery-codes', { json: {} });
}

/** Every row of every table, as one string: what a database dump would show a thief. */
async function dumpDatabase(server: TestServer): Promise<string> {
  const tables =
    server.backend === 'sqlite'
      ? await server.database.rows(`select name from sqlite_master where type = 'table'`)
      : await server.database.rows(
          `select table_name as name from information_schema.tables where table_schema = current_schema()`,
        );
  const rows = await Promise.all(tables.map(({ name }) => server.database.rows(`select * from "${String(name)}"`)));
  return JSON.stringify(rows);
}

describe('signing in with a recovery code', () => {
  it('works once: the second use of the same code is refused, and 9 remain', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const code = account.recoveryCodes[0] ?? '';
    const first = await signInWithRecoveryCode(server, account, code);
    expect(first.response.status).toBe(200);
    expect((await first.browser.me()).status).toBe(200);
    expect((await secondFactorsOf(first.browser)).recoveryCodes.remaining).toBe(9);

    const again = await signInWithRecoveryCode(server, account, code);
    await expectWrongCode(again.response);
    expect((await again.browser.me()).status).toBe(401);
    expect((await secondFactorsOf(first.browser)).recoveryCodes.remaining).toBe(9);
  });

  it('ignores case, spaces and dashes as typed from paper', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const code = account.recoveryCodes[3] ?? '';
    const { browser, response } = await signInWithRecoveryCode(server, account, typedLoosely(code));
    expect(response.status).toBe(200);
    expect((await browser.me()).status).toBe(200);
    // Spelled differently, still the same code: used up.
    await expectWrongCode((await signInWithRecoveryCode(server, account, code)).response);
  });

  it('two sign-ins racing with one recovery code: one wins', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const code = account.recoveryCodes[1] ?? '';
    const pendings = await Promise.all([startSignIn(server, account.email), startSignIn(server, account.email)]);
    const responses = await Promise.all(
      pendings.map(({ browser, mfaToken }) => secondFactor(browser, { mfaToken, method: 'recovery_code', code })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401]);
    const winner = pendings[responses.findIndex((response) => response.status === 200)];
    expect((await secondFactorsOf(winner?.browser ?? new TestBrowser(server.origin))).recoveryCodes.remaining).toBe(9);
  });

  it('mails a notice each time one is used, saying how many remain', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    expect((await signInWithRecoveryCode(server, account, account.recoveryCodes[0] ?? '')).response.status).toBe(200);
    const notice = await mailTo(server, mailing.catcher, account.email, SUBJECT_2FA.recoveryCodeUsed);
    expect(notice.text).toMatch(/\b9\b[^.]*remain/);
    expect(notice.text).not.toContain(account.recoveryCodes[0]);
    expect((await signInWithRecoveryCode(server, account, account.recoveryCodes[1] ?? '')).response.status).toBe(200);
    const notices = await mailsTo(server, mailing.catcher, account.email, SUBJECT_2FA.recoveryCodeUsed, 2);
    expect(notices.some((mail) => /\b8\b[^.]*remain/.test(mail.text))).toBe(true);
  });

  it('stores neither the recovery codes nor the pending sign-in tokens in clear', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { mfaToken, browser } = await startSignIn(server, account.email);
    const dump = await dumpDatabase(server);
    for (const code of account.recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace('-', ''));
    }
    expect(dump).not.toContain(mfaToken);
    expect(dump).not.toContain(browser.cookies.get(MFA_COOKIE));
  });
});

describe('regenerating recovery codes', () => {
  it('right after a sign-in through the factor: 10 new codes, the old ones void, a notice mailed', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    const response = await regenerate(browser);
    expect(response.status).toBe(200);
    const { recoveryCodes } = (await response.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(account.recoveryCodes).not.toContain(code);
    expect((await secondFactorsOf(browser)).recoveryCodes.remaining).toBe(10);

    await expectWrongCode((await signInWithRecoveryCode(server, account, account.recoveryCodes[5] ?? '')).response);
    const fresh = await signInWithRecoveryCode(server, account, recoveryCodes[5] ?? '');
    expect(fresh.response.status).toBe(200);
    await mailTo(server, mailing.catcher, account.email, SUBJECT_2FA.recoveryCodesRegenerated);
  });

  it('a session with only a recent password cannot regenerate (factorRequired); with a recovery code it can', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    const reauth = (json: Record<string, unknown>) =>
      browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD, ...json } });
    expect((await reauth({})).status).toBe(200);
    const refused = await expectFactorProblem(await regenerate(browser), 403, 'reauthentication_required');
    expect(refused.factorRequired).toBe(true);
    expect(refused.methods).toEqual(expect.arrayContaining(['password', 'totp', 'recovery_code']));
    expect((await secondFactorsOf(browser)).recoveryCodes.remaining).toBe(10);
    // The old codes still work: nothing was replaced by the refused request.
    const code = account.recoveryCodes[9] ?? '';
    expect((await reauth({ method: 'recovery_code', code })).status).toBe(200);
    expect((await secondFactorsOf(browser)).recoveryCodes.remaining).toBe(9);
    // A recovery code spent at step-up is spent for sign-in too.
    await expectWrongCode((await signInWithRecoveryCode(server, account, code)).response);
    expect((await regenerate(browser)).status).toBe(200);
  });
});
