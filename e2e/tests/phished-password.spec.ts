import type { BrowserContext } from '@playwright/test';
import { NativeClient } from '../../test-support/token-client.js';
import { anonymousCall, signedInClient } from '../support/account-client.js';
import { createAccount, type Account } from '../support/accounts.js';
import type { AppServer } from '../support/app-servers.js';
import { nextResetLink, type MailCatcher } from '../support/mail.js';
import { BROWSER_MODES } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import {
  credentialCookieNames,
  enableTotp,
  expectPendingSignIn,
  PageClient,
  passwordStepUp,
  pendingCookie,
} from '../support/second-factor.js';
import {
  callOf,
  expectNoLiveCredential,
  nativePending,
  nativeSecondFactor,
  pendingOverHttp,
  SLOW_TEST_MS,
  turnOnTotp,
} from '../support/second-factor-accounts.js';
import { answerWithTotp, passwordToSecondStep, signInButton, UI } from '../support/second-factor-ui.js';
import { expect, test } from '../support/takeover.js';

// A phished password, or a stolen mailbox's reset link, against an account with a second
// factor (issue 14), per mode: the password gets the second step and nothing else. TOTP
// waits for fresh 30-second steps, so these tests get more time than the suite's default.

const NEW_PASSWORD = 'a brand new staple horse battery';

const PHISHED =
  'Blocked: the password (phished, or set again through a stolen mailbox’s reset link) gets only the second step: no session, cookie or token; a wrong code fails; the pending sign-in needs both its HttpOnly cookie and the token the page keeps in memory, neither works alone. Residual: a proxy relaying a TOTP code in real time gets in (passkeys are the phishing-resistant factor)';

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: a phished password reaches only the second step; a wrong code fails; the pending cookie or token alone is refused; a reset link gets no further`,
    takeoverScorecard('phished-password', mode, PHISHED, { residual: true }),
    async ({ contexts, takeover }) => {
      test.setTimeout(SLOW_TEST_MS);
      const server = await takeover.server(mode);
      const account = await createAccount(server, `phished-${mode}`);
      const { app } = await turnOnTotp(contexts, server, mode, account);

      // The phisher's browser: the password is right, and all it gets is the second step.
      const phisherContext = await contexts.open('plain');
      const phisher = await phisherContext.newPage();
      const pending = await passwordToSecondStep(phisher, server, account);
      expect(pending.methods).toEqual(expect.arrayContaining(['totp', 'recovery_code']));
      expect(pending.methods).not.toContain('passkey');
      expect(await credentialCookieNames(phisherContext, mode)).toEqual([]);
      expect(await pendingCookie(phisherContext)).toMatchObject({
        httpOnly: true,
        secure: true,
        path: '/',
        sameSite: mode === 'memory-token' ? 'None' : 'Strict',
      });
      // The token half stays in the page's memory: in no storage a script (or a later visitor) reads.
      expect(await scriptReadableState(phisherContext, server)).not.toContain(pending.mfaToken);

      await answerWithTotp(phisher, app.wrongCode());
      await expect(phisher.getByRole('alert')).toContainText(`${UI.wrongCode} You have 4 tries left.`);
      expect(await credentialCookieNames(phisherContext, mode)).toEqual([]);
      expectNoLiveCredential(server, account);

      // A pending sign-in split across browsers: the halves of one sign-in (B), the cookie
      // copied into another browser (C) with the token of another sign-in, the token without
      // its cookie (D). Only B's two halves together, with a right code, sign in.
      const halves = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
      const second = expectPendingSignIn(await halves.signIn(account.email, account.password));
      expect(await halves.call('GET', '/api/auth/me')).toMatchObject({ status: 401 });
      const cookie = await pendingCookie(halves.page.context());
      if (cookie === undefined) throw new Error('no pending cookie');

      const copied = await contexts.open('plain');
      await copied.addCookies([cookie]);
      const cookieOnly = new PageClient(await copied.newPage(), server, mode);
      // Its reader shows the sign-in card: nothing resumes a sign-in from the cookie.
      await cookieOnly.page.goto(`${server.origin}/`);
      await expect(signInButton(cookieOnly.page)).toBeVisible();
      await expect(cookieOnly.page.getByRole('heading', { name: UI.secondStepHeading })).toHaveCount(0);

      const code = await app.nextCode();
      const otherSignIn = await pendingOverHttp(server, account);
      expect(
        await cookieOnly.call('POST', '/api/auth/login/second-factor', {
          mfaToken: otherSignIn.mfaToken,
          method: 'totp',
          code,
        }),
      ).toMatchObject({ status: 401, body: { code: 'sign_in_expired', reason: 'expired' } });
      const tokenOnly = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
      expect(
        await tokenOnly.call('POST', '/api/auth/login/second-factor', {
          mfaToken: second.mfaToken,
          method: 'totp',
          code,
        }),
      ).toMatchObject({ status: 401, body: { code: 'sign_in_expired', reason: 'expired' } });
      expect(await credentialCookieNames(copied, mode)).toEqual([]);
      expectNoLiveCredential(server, account);

      // The same code with both halves signs in: the refusals above were the binding's. It is
      // also the residual risk: a phishing proxy relaying the code at once gets this far.
      const relayed = await halves.call('POST', '/api/auth/login/second-factor', {
        mfaToken: second.mfaToken,
        method: 'totp',
        code,
      });
      expect(relayed.status, JSON.stringify(relayed.body)).toBe(200);
      expect(relayed.body).toMatchObject({ user: { email: account.email } });
      expect((await halves.call('GET', '/api/auth/me')).status).toBe(200);
      expect(await pendingCookie(halves.page.context())).toBeUndefined();

      // The mailbox instead of the password: the reset link sets a password, ends every
      // credential (the relayed one too), and stops at the second step as well.
      await expectResetStopsAtSecondStep(server, account, takeover.mail);
      expect((await halves.call('GET', '/api/auth/me')).status).toBe(401);
      expectNoLiveCredential(server, account);
    },
  );
}

test(
  'bearer: POST /token with a phished password gets no token; five wrong codes end the attempt; a reset gets no further',
  takeoverScorecard(
    'phished-password',
    'bearer',
    'Blocked: POST /token answers mfa_required with no token; a wrong code fails and the fifth ends the attempt (its token is dead even with the right code); a reset link only leads to the second step. Residual: a code relayed in real time works',
    { residual: true },
  ),
  async ({ takeover }) => {
    test.setTimeout(SLOW_TEST_MS);
    const server = await takeover.server('session');
    const account = await createAccount(server, 'phished-native');
    const phone = callOf(await signedInClient(server, 'bearer', account));
    const { app } = await enableTotp(phone, passwordStepUp(phone, account.password));
    const native = new NativeClient(server.origin);

    const attempt = await nativePending(native, account);
    for (let attemptsLeft = 4; attemptsLeft >= 1; attemptsLeft--) {
      const wrong = await nativeSecondFactor(native, attempt, { method: 'totp', code: app.wrongCode() });
      expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_second_factor', attemptsLeft } });
    }
    const fifth = await nativeSecondFactor(native, attempt, { method: 'totp', code: app.wrongCode() });
    expect(fifth).toMatchObject({ status: 401, body: { code: 'sign_in_expired', reason: 'too_many_attempts' } });
    const code = await app.nextCode();
    const late = await nativeSecondFactor(native, attempt, { method: 'totp', code });
    expect(late).toMatchObject({ status: 401, body: { code: 'sign_in_expired', reason: 'expired' } });

    // The same code in a new attempt signs in (the test's control, and the relay's residual risk).
    const tokens = await nativeSecondFactor(native, await nativePending(native, account), { method: 'totp', code });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
    const accessToken = (tokens.body as { access_token: string }).access_token;
    expect((await native.request('GET', '/api/auth/me', { bearer: accessToken })).status).toBe(200);

    await expectResetStopsAtSecondStep(server, account, takeover.mail);
    expect((await native.request('GET', '/api/auth/me', { bearer: accessToken })).status).toBe(401);
    await nativePending(native, account);
    expectNoLiveCredential(server, account);
  },
);

/** The mailed reset link, used: the new password is set, and the answer is the second step. */
async function expectResetStopsAtSecondStep(server: AppServer, account: Account, mail: MailCatcher): Promise<void> {
  const link = await nextResetLink(mail, account.email, async () => {
    expect((await anonymousCall(server, '/api/auth/password-reset', { email: account.email })).status).toBe(202);
  });
  const reset = await anonymousCall(server, '/api/auth/password-reset/confirm', {
    token: link.token,
    newPassword: NEW_PASSWORD,
  });
  expect(expectPendingSignIn(reset).methods).toContain('totp');
  account.password = NEW_PASSWORD;
}

/** Everything a script on the app's origin can read: Web Storage and document.cookie. */
async function scriptReadableState(context: BrowserContext, server: AppServer): Promise<string> {
  const page = await context.newPage();
  await page.goto(`${server.origin}/api/health`);
  const state = await page.evaluate(() => {
    const entries = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, index) => {
        const key = storage.key(index) ?? '';
        return [key, storage.getItem(key)];
      });
    return JSON.stringify({ local: entries(localStorage), session: entries(sessionStorage), cookie: document.cookie });
  });
  await page.close();
  return state;
}
