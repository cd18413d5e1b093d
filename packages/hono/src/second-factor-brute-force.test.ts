import type { Response as UndiciResponse } from 'undici';
import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { countRows, expectProblem, FAST_PASSWORDS, MINUTE } from './test-mail.js';
import {
  expectNoCredentials,
  expectSignInExpired,
  expectWrongCode,
  freshCode,
  secondFactor,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  totpCode,
  wrongCodes,
  type Pending,
  type TotpAccount,
} from './test-second-factor.js';

// Guessing the second factor (spec-14 "Sign-in", errors): 5 answers per pending sign-in,
// 10 wrong codes per account per 15 minutes whatever the pending sign-in or the IP.

const start = serversPerTest();
const ACCOUNT_WINDOW_MS = 15 * MINUTE;

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

/** A pending sign-in from its own IP: the distributed guesser, who phished the password. */
function fromIp(server: TestServer, account: TotpAccount, ip: string): Promise<Pending> {
  return startSignIn(server, account.email, new TestBrowser(server.origin, ip));
}

/** A 429 rate_limited with a Retry-After within the window, and nothing handed out. */
async function expectAccountLimited(response: UndiciResponse): Promise<void> {
  expectNoCredentials(response);
  await expectProblem(response, 429, 'rate_limited');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(ACCOUNT_WINDOW_MS / 1000);
}

/** Five wrong answers on one pending sign-in: 4, 3, 2, 1 left, then the pending is over. */
async function exhaust(pending: Pending, answers: { method: string; code: string }[]): Promise<void> {
  const left: (number | undefined)[] = [];
  for (const answer of answers.slice(0, 4)) {
    left.push(await expectWrongCode(await secondFactor(pending.browser, { mfaToken: pending.mfaToken, ...answer })));
  }
  expect(left).toEqual([4, 3, 2, 1]);
  const fifth = answers[4] ?? { method: 'totp', code: '000000' };
  await expectSignInExpired(
    await secondFactor(pending.browser, { mfaToken: pending.mfaToken, ...fifth }),
    'too_many_attempts',
  );
}

function totpGuesses(account: TotpAccount, server: TestServer) {
  return wrongCodes(account.secret, server.now(), 5).map((code) => ({ method: 'totp', code }));
}

const recoveryGuesses = ['aaaaa-bbbbb', 'ccccc-ddddd', 'eeeee-fffff', 'ggggg-hhhhh', 'kkkkk-mmmmm'].map((code) => ({
  method: 'recovery_code',
  code,
}));

describe('guessing on one pending sign-in', () => {
  it('the 5th wrong code ends it (too_many_attempts); the right code afterwards is refused', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const pending = await startSignIn(server, account.email);
    const right = freshCode(server, account.secret);
    await exhaust(pending, totpGuesses(account, server));
    await expectSignInExpired(
      await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'totp', code: right }),
    );
    expect((await pending.browser.me()).status).toBe(401);
    expect(await countRows(server, 'sessions', account.userId)).toBe(1); // the sign-up's
  });

  it('wrong recovery codes use up the same five answers', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const pending = await startSignIn(server, account.email);
    await exhaust(pending, recoveryGuesses);
    const real = account.recoveryCodes[0] ?? '';
    await expectSignInExpired(
      await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'recovery_code', code: real }),
    );
    expect((await pending.browser.me()).status).toBe(401);
  });
});

describe('guessing across pending sign-ins (account-wide limit)', () => {
  it('new pending sign-ins from new IPs do not reset the count: 429 after 10 wrong codes, even for the right code', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const first = await fromIp(server, account, '127.0.0.2');
    const second = await fromIp(server, account, '127.0.0.3');
    const third = await fromIp(server, account, '127.0.0.4');
    const right = freshCode(server, account.secret);

    await exhaust(first, totpGuesses(account, server));
    await exhaust(second, recoveryGuesses); // TOTP and recovery codes count together
    await expectAccountLimited(
      await secondFactor(third.browser, { mfaToken: third.mfaToken, method: 'totp', code: right }),
    );
    expect((await third.browser.me()).status).toBe(401);

    // The owner, from home, with the right code: the same answer until the window passes.
    const owner = await fromIp(server, account, '127.0.0.5');
    await expectAccountLimited(
      await secondFactor(owner.browser, { mfaToken: owner.mfaToken, method: 'totp', code: right }),
    );
    expect(await countRows(server, 'sessions', account.userId)).toBe(1);
  });

  it('the owner is not locked out for long: once the window has passed the right code works', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    await exhaust(await fromIp(server, account, '127.0.0.2'), totpGuesses(account, server));
    await exhaust(await fromIp(server, account, '127.0.0.3'), totpGuesses(account, server));
    const blocked = await fromIp(server, account, '127.0.0.5');
    const code = freshCode(server, account.secret);
    await expectAccountLimited(
      await secondFactor(blocked.browser, { mfaToken: blocked.mfaToken, method: 'totp', code }),
    );

    server.advance(ACCOUNT_WINDOW_MS + 1_000);
    const owner = await fromIp(server, account, '127.0.0.5');
    const done = await secondFactor(owner.browser, {
      mfaToken: owner.mfaToken,
      method: 'totp',
      code: totpCode(account.secret, server.now()),
    });
    expect(done.status).toBe(200);
    expect((await owner.browser.me()).status).toBe(200);
  });

  it('wrong codes at step-up count too: a stolen session cannot guess beside the sign-in limit', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const thief = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    const reauth = (code: string) =>
      thief.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD, method: 'totp', code } });
    for (const code of wrongCodes(account.secret, server.now(), 5)) {
      await expectWrongCode(await reauth(code), 'step-up');
    }
    await exhaust(await fromIp(server, account, '127.0.0.3'), totpGuesses(account, server));

    const code = freshCode(server, account.secret);
    const owner = await fromIp(server, account, '127.0.0.5');
    await expectAccountLimited(await secondFactor(owner.browser, { mfaToken: owner.mfaToken, method: 'totp', code }));
    await expectAccountLimited(await reauth(code));
    await expectProblem(await thief.request('DELETE', '/api/auth/totp'), 403, 'reauthentication_required');
  });
});
