import { URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { expectProblem, mailTo, MINUTE, signUp, mailingServers } from './test-mail.js';
import {
  expectFactorProblem,
  expectNoCredentials,
  expectWrongCode,
  freshCode,
  nextStep,
  secondFactor,
  secondFactorsOf,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  STEP_MS,
  SUBJECT_2FA,
  totpCode,
  totpEnable,
  totpSetup,
  wrongCode,
} from './test-second-factor.js';

// TOTP over HTTP (spec-14 "Managing factors" and "Sign-in"): enrolment, skew, replay.

const mailing = mailingServers();
const { startServer } = mailing;

async function setupSecret(browser: TestBrowser): Promise<{ secret: string; uri: string }> {
  const response = await totpSetup(browser);
  expect(response.status).toBe(200);
  return (await response.json()) as { secret: string; uri: string };
}

describe('turning TOTP on', () => {
  it('setup needs a recent password: 11 minutes after sign-in a stolen cookie gets 403 and no secret', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    server.advance(11 * MINUTE);
    const problem = await expectFactorProblem(await totpSetup(browser), 403, 'reauthentication_required');
    // No factor yet: the password alone is what is asked for.
    expect(problem.factorRequired).toBe(false);
    expect(JSON.stringify(problem)).not.toMatch(/otpauth:|secret/i);
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);

    const reauth = await browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD } });
    expect(reauth.status).toBe(200);
    expect((await totpSetup(browser)).status).toBe(200);
  });

  it('setup answers a base32 secret and an otpauth URI for this app and this account', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const { secret, uri } = await setupSecret(browser);
    expect(secret).toMatch(/^[A-Z2-7]{32,}=*$/); // at least 160 bits (RFC 4226 §4)
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe('Gatehouse');
    expect(parsed.label).toBe(email);
    expect(parsed.secret.base32).toBe(secret.replace(/=+$/, ''));
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain('algorithm=SHA1');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
    // Set up but not confirmed: still off, and the password alone still signs in.
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);
    const login = await new TestBrowser(server.origin).login(email, GOOD_PASSWORD);
    expect(await login.json()).toMatchObject({ user: { email } });
  });

  it('a wrong code does not turn it on: 400 errors.code "is incorrect", and sign-in still needs no code', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const { secret } = await setupSecret(browser);
    nextStep(server);
    const problem = await expectProblem(
      await totpEnable(browser, wrongCode(secret, server.now())),
      400,
      'validation_failed',
    );
    expect(problem.errors?.code).toBe('is incorrect');
    expect(await secondFactorsOf(browser)).toMatchObject({
      totp: { enabled: false, enabledAt: null },
      recoveryCodes: { remaining: 0 },
    });
    expect(await (await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).json()).toMatchObject({
      user: { email },
    });
    // The setup survives a typo: the right code still turns it on.
    expect((await totpEnable(browser, totpCode(secret, server.now()))).status).toBe(200);
  });

  it('the right code turns it on and returns 10 recovery codes once; GET shows the count, never the codes', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    const { secret } = await setupSecret(browser);
    const response = await totpEnable(browser, freshCode(server, secret));
    expect(response.status).toBe(200);
    const { recoveryCodes } = (await response.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);

    const listed = await browser.request('GET', '/api/auth/second-factors');
    const text = await listed.text();
    for (const code of recoveryCodes) expect(text).not.toContain(code);
    expect(text).not.toContain(secret);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toEqual({
      totp: { enabled: true, enabledAt: new Date(server.now()).toISOString() },
      recoveryCodes: { remaining: 10 },
      passkeys: [],
      stepUpRequiresFactor: false,
    });
  });

  it('setup again while on is 409 conflict, and the enabled secret keeps working', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    // From a sign-in through the factor, so the step-up (with the factor) is fresh.
    const browser = await signInWithTotp(server, account);
    await expectProblem(await totpSetup(browser), 409, 'conflict');
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(true);
    const pending = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);
    expect((await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'totp', code })).status).toBe(
      200,
    );
  });

  it('enable with no setup pending is 409 conflict', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    await expectProblem(await totpEnable(browser, '123456'), 409, 'conflict');
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);
  });

  it('a second setup replaces the first: codes of the abandoned secret are refused', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    const first = await setupSecret(browser);
    const second = await setupSecret(browser);
    expect(second.secret).not.toBe(first.secret);
    nextStep(server);
    const stale = totpCode(first.secret, server.now());
    if (stale !== totpCode(second.secret, server.now())) {
      await expectProblem(await totpEnable(browser, stale), 400, 'validation_failed');
    }
    expect((await totpEnable(browser, totpCode(second.secret, server.now()))).status).toBe(200);
  });

  it('turned off and on again, enable returns codes only if none remain (GET agrees)', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    expect((await browser.request('DELETE', '/api/auth/totp')).status).toBe(204);
    const { remaining } = (await secondFactorsOf(browser)).recoveryCodes;
    const { secret } = await setupSecret(browser);
    const enabled = await totpEnable(browser, freshCode(server, secret));
    expect(enabled.status).toBe(200);
    const { recoveryCodes } = (await enabled.json()) as { recoveryCodes: string[] | null };
    if (remaining > 0) expect(recoveryCodes).toBeNull();
    else expect(recoveryCodes).toHaveLength(10);
    expect((await secondFactorsOf(browser)).recoveryCodes.remaining).toBe(remaining > 0 ? remaining : 10);
  });

  it('mails a notice when two-factor is turned on', async () => {
    const server = await startServer();
    const { email, recoveryCodes, secret } = await signUpWithTotp(server);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT_2FA.turnedOn);
    for (const code of recoveryCodes) expect(notice.text + notice.html).not.toContain(code); // never the codes
    expect(notice.text + notice.html).not.toContain(secret);
  });
});

describe('codes at sign-in', () => {
  it('the password alone no longer signs in once TOTP is on', async () => {
    const server = await startServer();
    const { email, secret } = await signUpWithTotp(server);
    const { response, body, browser } = await startSignIn(server, email);
    expectNoCredentials(response);
    expect(body.methods).toEqual(['totp', 'recovery_code']);
    expect(JSON.stringify(body)).not.toContain(secret);
    expect((await browser.me()).status).toBe(401);
  });

  it('accepts a code one step early or late (clock skew), and refuses two steps off', async () => {
    const server = await startServer();
    const { email, secret } = await signUpWithTotp(server);
    // Three steps past the one that turned it on: no code in ±2 steps was ever used.
    for (let step = 0; step < 3; step += 1) nextStep(server);
    const now = server.now();
    const { browser, mfaToken } = await startSignIn(server, email);
    for (const offset of [-2, 2]) {
      const code = totpCode(secret, now + offset * STEP_MS);
      if (code === totpCode(secret, now)) continue; // one in a million: the same digits
      await expectWrongCode(await secondFactor(browser, { mfaToken, method: 'totp', code }));
    }
    expect((await browser.me()).status).toBe(401);
    const late = await secondFactor(browser, { mfaToken, method: 'totp', code: totpCode(secret, now - STEP_MS) });
    expect(late.status).toBe(200);
    expect((await browser.me()).status).toBe(200);

    const other = await startSignIn(server, email);
    const early = await secondFactor(other.browser, {
      mfaToken: other.mfaToken,
      method: 'totp',
      code: totpCode(secret, now + STEP_MS),
    });
    expect(early.status).toBe(200);
    expect((await other.browser.me()).status).toBe(200);
  });

  it('a code seen over a shoulder cannot be replayed within its window (RFC 6238 §5.2)', async () => {
    const server = await startServer();
    const { email, secret } = await signUpWithTotp(server);
    const code = freshCode(server, secret);
    const owner = await startSignIn(server, email);
    expect((await secondFactor(owner.browser, { mfaToken: owner.mfaToken, method: 'totp', code })).status).toBe(200);

    server.advance(STEP_MS / 3); // same step, a few seconds later
    const thief = await startSignIn(server, email);
    const replay = await secondFactor(thief.browser, { mfaToken: thief.mfaToken, method: 'totp', code });
    expect(await expectWrongCode(replay)).toBe(4);
    expect((await thief.browser.me()).status).toBe(401);
    // Still within ±1 step of the code's own step: refused there too.
    server.advance(STEP_MS);
    await expectWrongCode(await secondFactor(thief.browser, { mfaToken: thief.mfaToken, method: 'totp', code }));
    expect((await thief.browser.me()).status).toBe(401);
  });

  it('an older code seen before the owner’s newer one cannot be used after it (RFC 6238 §5.2)', async () => {
    const server = await startServer();
    const { email, secret } = await signUpWithTotp(server);
    const older = freshCode(server, secret);
    const newer = freshCode(server, secret); // the next step: `older` is still within the skew
    const owner = await startSignIn(server, email);
    expect((await secondFactor(owner.browser, { mfaToken: owner.mfaToken, method: 'totp', code: newer })).status).toBe(
      200,
    );
    const thief = await startSignIn(server, email);
    await expectWrongCode(await secondFactor(thief.browser, { mfaToken: thief.mfaToken, method: 'totp', code: older }));
    expect((await thief.browser.me()).status).toBe(401);
  });

  it('the code that turned TOTP on was shown on the setup screen: it cannot sign in', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const { secret } = await setupSecret(browser);
    const code = freshCode(server, secret);
    expect((await totpEnable(browser, code)).status).toBe(200);
    const pending = await startSignIn(server, email);
    await expectWrongCode(await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'totp', code }));
  });

  it('mails a notice when TOTP is removed, and the password alone signs in again', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { mfaToken, browser } = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);
    expect((await secondFactor(browser, { mfaToken, method: 'totp', code })).status).toBe(200);
    // A sign-in through the factor starts with both step-up stamps fresh.
    expect((await browser.request('DELETE', '/api/auth/totp')).status).toBe(204);
    expect((await secondFactorsOf(browser)).totp).toEqual({ enabled: false, enabledAt: null });
    await mailTo(server, mailing.catcher, account.email, SUBJECT_2FA.totpRemoved);
    const login = await new TestBrowser(server.origin).login(account.email, GOOD_PASSWORD);
    expect(await login.json()).toMatchObject({ user: { email: account.email } });
  });
});
