import { NativeClient } from '../../test-support/token-client.js';
import { signedInClient } from '../support/account-client.js';
import { createAccount } from '../support/accounts.js';
import { BROWSER_MODES } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import {
  enableTotp,
  expectPendingSignIn,
  PageClient,
  passwordStepUp,
  secondFactors,
} from '../support/second-factor.js';
import {
  callOf,
  nativePending,
  nativeSecondFactor,
  secondStep,
  SLOW_TEST_MS,
  turnOnTotp,
} from '../support/second-factor-accounts.js';
import {
  accountMenu,
  answerWithRecoveryCode,
  answerWithTotp,
  passwordToSecondStep,
  signOutFromMenu,
} from '../support/second-factor-ui.js';
import { expect, test } from '../support/takeover.js';

// One-time codes replayed (issue 14), per mode: whoever saw a TOTP code or a recovery code
// that signed in (over a shoulder, through a phishing page) cannot use it again.

const REPLAY =
  'Blocked: a TOTP code that signed in once is refused in another sign-in at once (401 invalid_second_factor), and a used recovery code in any spelling; each code works once, the owner is mailed when a recovery code is used';

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: a TOTP code or a recovery code that signed in once is refused to whoever saw it`,
    takeoverScorecard('code-replay', mode, REPLAY),
    async ({ contexts, takeover }) => {
      test.setTimeout(SLOW_TEST_MS);
      const server = await takeover.server(mode);
      const account = await createAccount(server, `replay-${mode}`);
      const { app, recoveryCodes } = await turnOnTotp(contexts, server, mode, account);
      const [firstCode, secondCode, , , , , , , , lastCode] = recoveryCodes;
      if (firstCode === undefined || secondCode === undefined || lastCode === undefined) throw new Error('no codes');

      // The owner signs in with a code in the reader...
      const owner = await (await contexts.open('plain')).newPage();
      await passwordToSecondStep(owner, server, account);
      const code = await app.nextCode();
      await answerWithTotp(owner, code);
      await expect(accountMenu(owner)).toBeVisible();

      // ...and someone who saw it (a shoulder, a phishing page) types it in their own sign-in.
      const watcher = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
      const pending = expectPendingSignIn(await watcher.signIn(account.email, account.password));
      const replayed = await secondStep(watcher.call, pending.mfaToken, { method: 'totp', code });
      expect(replayed).toMatchObject({ status: 401, body: { code: 'invalid_second_factor', attemptsLeft: 4 } });
      // The control: that same pending sign-in was live, and completes with an unused code.
      const control = await secondStep(watcher.call, pending.mfaToken, { method: 'recovery_code', code: lastCode });
      expect(control.status, JSON.stringify(control.body)).toBe(200);

      // A recovery code used in the reader works once, whatever its spelling the next time.
      await signOutFromMenu(owner);
      await passwordToSecondStep(owner, server, account);
      await answerWithRecoveryCode(owner, firstCode);
      await expect(accountMenu(owner)).toBeVisible();
      const notice = await takeover.mail.waitFor(account.email, { subject: /^A recovery code was used to sign in/ });
      expect(notice.text).toMatch(/\b[89] unused codes remain/);

      const again = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
      const retry = expectPendingSignIn(await again.signIn(account.email, account.password));
      const spellings = [firstCode, firstCode.toUpperCase(), ` ${firstCode.replaceAll('-', ' ')} `];
      for (const [index, spelling] of spellings.entries()) {
        const reused = await secondStep(again.call, retry.mfaToken, { method: 'recovery_code', code: spelling });
        expect(reused).toMatchObject({ status: 401, body: { code: 'invalid_second_factor', attemptsLeft: 4 - index } });
      }
      expect((await secondStep(again.call, retry.mfaToken, { method: 'recovery_code', code: secondCode })).status).toBe(
        200,
      );
      expect((await secondFactors(again.call)).recoveryCodes.remaining).toBe(7);
    },
  );
}

test(
  'bearer: a TOTP code or a recovery code that signed in once is refused in another native sign-in',
  takeoverScorecard('code-replay', 'bearer', REPLAY),
  async ({ takeover }) => {
    test.setTimeout(SLOW_TEST_MS);
    const server = await takeover.server('session');
    const account = await createAccount(server, 'replay-native');
    const phone = callOf(await signedInClient(server, 'bearer', account));
    const { app, recoveryCodes } = await enableTotp(phone, passwordStepUp(phone, account.password));
    const [firstCode, secondCode, thirdCode] = recoveryCodes ?? [];
    if (firstCode === undefined || secondCode === undefined || thirdCode === undefined) throw new Error('no codes');
    const native = new NativeClient(server.origin);

    const code = await app.nextCode();
    const owner = await nativeSecondFactor(native, await nativePending(native, account), { method: 'totp', code });
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
    const watcher = await nativePending(native, account);
    expect(await nativeSecondFactor(native, watcher, { method: 'totp', code })).toMatchObject({
      status: 401,
      body: { code: 'invalid_second_factor', attemptsLeft: 4 },
    });
    expect((await nativeSecondFactor(native, watcher, { method: 'recovery_code', code: firstCode })).status).toBe(200);

    const reuse = await nativePending(native, account);
    expect(await nativeSecondFactor(native, reuse, { method: 'recovery_code', code: firstCode })).toMatchObject({
      status: 401,
      body: { code: 'invalid_second_factor' },
    });
    expect((await nativeSecondFactor(native, reuse, { method: 'recovery_code', code: secondCode })).status).toBe(200);
  },
);
