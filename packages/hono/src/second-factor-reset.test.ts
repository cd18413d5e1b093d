import { describe, expect, it } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { countRows, expectProblem, NEW_PASSWORD, resetTokenFor, mailingServers } from './test-mail.js';
import {
  expectNoCredentials,
  expectPendingBody,
  expectSignInExpired,
  expectWrongCode,
  freshCode,
  MFA_COOKIE,
  secondFactor,
  secondFactorsOf,
  signUpWithTotp,
  wrongCodes,
  type PendingBody,
  type TotpAccount,
} from './test-second-factor.js';

// Password reset with 2FA on (spec-14): the link sets the password and ends everything as
// before, but a mailbox alone never gets past the second factor.

const mailing = mailingServers();
const { startServer } = mailing;

/** Asks for a link, follows it in a fresh browser: the pending answer and that browser. */
async function resetWithLink(server: TestServer, account: TotpAccount) {
  const token = await resetTokenFor(server, mailing.catcher, account.email);
  const browser = new TestBrowser(server.origin);
  const response = await browser.request('POST', '/api/auth/password-reset/confirm', {
    json: { token, newPassword: NEW_PASSWORD },
  });
  return { browser, response };
}

describe('password reset with a second factor on', () => {
  it('sets the password and ends every session, but answers with a pending sign-in, not a session', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, response } = await resetWithLink(server, account);
    expect(response.status).toBe(200);
    expectNoCredentials(response);
    const body = (await response.json()) as Record<string, unknown>;
    expectPendingBody(body, server.now());
    expect(findSetCookie(response, MFA_COOKIE)?.attributes.get('max-age')).toBe('300');
    expect((await browser.me()).status).toBe(401);

    expect((await account.browser.me()).status).toBe(401);
    expect(await countRows(server, 'sessions', account.userId)).toBe(0);
    await expectProblem(
      await new TestBrowser(server.origin).login(account.email, GOOD_PASSWORD),
      401,
      'invalid_credentials',
    );
    const withNew = await new TestBrowser(server.origin).login(account.email, NEW_PASSWORD);
    expect(((await withNew.json()) as PendingBody).mfaRequired).toBe(true);
  });

  it('the factor then completes it: a session for this browser, TOTP still on', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, response } = await resetWithLink(server, account);
    const { mfaToken } = (await response.json()) as PendingBody;
    const done = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ user: { id: account.userId, email: account.email } });
    expect((await browser.me()).status).toBe(200);
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(true);
  });

  it('someone holding only the mailbox gets no further: five guesses and the pending sign-in is over', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, response } = await resetWithLink(server, account);
    const { mfaToken } = (await response.json()) as PendingBody;
    const [last, ...guesses] = wrongCodes(account.secret, server.now(), 5);
    for (const code of guesses) await expectWrongCode(await secondFactor(browser, { mfaToken, method: 'totp', code }));
    await expectSignInExpired(
      await secondFactor(browser, { mfaToken, method: 'totp', code: last }),
      'too_many_attempts',
    );
    expect((await browser.me()).status).toBe(401);
    expect(await countRows(server, 'sessions', account.userId)).toBe(0);
  });

  it('the pending sign-in of a reset lasts 5 minutes like any other', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, response } = await resetWithLink(server, account);
    const { mfaToken } = (await response.json()) as PendingBody;
    server.advance(5 * 60_000 + 1_000);
    await expectSignInExpired(
      await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) }),
    );
    expect((await browser.me()).status).toBe(401);
  });
});
