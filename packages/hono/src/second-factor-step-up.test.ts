import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { NativeClient, type NativeTokens } from '../../../test-support/token-client.js';
import { countRows, expectProblem, FAST_PASSWORDS, MINUTE, signUp } from './test-mail.js';
import {
  expectFactorProblem,
  expectWrongCode,
  freshCode,
  secondFactor,
  secondFactorsOf,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  type TotpAccount,
} from './test-second-factor.js';

// Step-up with a factor (spec-14 "Step-up with a factor"): a phished password on a stolen
// session must not be enough to take the factor away.

const start = serversPerTest();
const KEY = { name: 'script', scopes: ['read'] };
const ALL_METHODS = ['password', 'totp', 'recovery_code'];

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

function reauthenticate(browser: TestBrowser, extra: Record<string, unknown> = {}) {
  return browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD, ...extra } });
}

/** What a thief holding the session would do to keep the account once the owner notices. */
function factorActions(browser: TestBrowser) {
  return {
    'DELETE /totp': () => browser.request('DELETE', '/api/auth/totp'),
    'POST /recovery-codes': () => browser.request('POST', '/api/auth/recovery-codes', { json: {} }),
    'PUT /second-factors/step-up': () =>
      browser.request('PUT', '/api/auth/second-factors/step-up', { json: { required: true } }),
  };
}

function mintKey(browser: TestBrowser) {
  return browser.request('POST', '/api/auth/api-keys', { json: KEY });
}

async function expectUnchanged(browser: TestBrowser): Promise<void> {
  expect(await secondFactorsOf(browser)).toMatchObject({
    totp: { enabled: true },
    recoveryCodes: { remaining: 10 },
    stepUpRequiresFactor: false,
  });
}

describe('a stolen session with a phished password', () => {
  it('cannot remove TOTP, regenerate recovery codes or change the step-up setting (403 factorRequired)', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const victim = await signInWithTotp(server, account);
    const thief = victim.clone();
    server.advance(11 * MINUTE);
    expect((await reauthenticate(thief)).status).toBe(200);

    for (const [name, action] of Object.entries(factorActions(thief))) {
      const problem = await expectFactorProblem(await action(), 403, 'reauthentication_required');
      expect(problem.factorRequired, name).toBe(true);
      expect(problem.methods, name).toEqual(ALL_METHODS);
    }
    await expectUnchanged(victim);
    // The password is enough for what does not touch the factors (stepUpRequiresFactor off).
    expect((await mintKey(thief)).status).toBe(201);
  });

  it('with the factor at /reauthenticate, removing TOTP works', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    await expectProblem(await browser.request('DELETE', '/api/auth/totp'), 403, 'reauthentication_required');
    const response = await reauthenticate(browser, { method: 'totp', code: freshCode(server, account.secret) });
    expect(response.status).toBe(200);
    expect((await browser.request('DELETE', '/api/auth/totp')).status).toBe(204);
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);
  });

  it('a wrong code at /reauthenticate is invalid_second_factor and stamps nothing', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    await expectWrongCode(await reauthenticate(browser, { method: 'totp', code: '000000' }), 'step-up');
    const wrongPassword = await browser.request('POST', '/api/auth/reauthenticate', {
      json: { password: 'not the password', method: 'totp', code: freshCode(server, account.secret) },
    });
    await expectProblem(wrongPassword, 401, 'invalid_credentials');
    await expectFactorProblem(await factorActions(browser)['DELETE /totp'](), 403, 'reauthentication_required');
    await expectUnchanged(browser);
  });

  it('the 403 says which step-up is missing: password for an ordinary action, the factor for a factor action', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    const ordinary = await expectFactorProblem(await mintKey(browser), 403, 'reauthentication_required');
    expect(ordinary.factorRequired).toBe(false);
    expect(ordinary.methods).toEqual(ALL_METHODS);
    const factor = await expectFactorProblem(
      await factorActions(browser)['DELETE /totp'](),
      403,
      'reauthentication_required',
    );
    expect(factor.factorRequired).toBe(true);
    expect(await countRows(server, 'api_keys', account.userId)).toBe(0);
  });
});

describe('TOTP codes at step-up are single-use too', () => {
  it('a code that stamped one session cannot stamp another, nor can a code used at sign-in', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const first = await signInWithTotp(server, account);
    const second = await signInWithTotp(server, account);
    server.advance(11 * MINUTE);
    const code = freshCode(server, account.secret);
    expect((await reauthenticate(first, { method: 'totp', code })).status).toBe(200);
    await expectWrongCode(await reauthenticate(second, { method: 'totp', code }), 'step-up');
    await expectProblem(await second.request('DELETE', '/api/auth/totp'), 403, 'reauthentication_required');

    const signInCode = freshCode(server, account.secret);
    const pending = await startSignIn(server, account.email);
    const signedIn = await secondFactor(pending.browser, {
      mfaToken: pending.mfaToken,
      method: 'totp',
      code: signInCode,
    });
    expect(signedIn.status).toBe(200);
    await expectWrongCode(await reauthenticate(second, { method: 'totp', code: signInCode }), 'step-up');
    await expectUnchanged(second);
  });
});

describe('a sign-in through the factor', () => {
  it('starts with both stamps fresh, through a recovery code too', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const code = account.recoveryCodes[0] ?? '';
    expect((await secondFactor(browser, { mfaToken, method: 'recovery_code', code })).status).toBe(200);
    const response = await factorActions(browser)['PUT /second-factors/step-up']();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stepUpRequiresFactor: true });
  });
});

describe('stepUpRequiresFactor', () => {
  it('when on, a recent password alone no longer unlocks ordinary step-up actions', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    expect((await factorActions(browser)['PUT /second-factors/step-up']()).status).toBe(200);
    expect((await secondFactorsOf(browser)).stepUpRequiresFactor).toBe(true);

    server.advance(11 * MINUTE);
    expect((await reauthenticate(browser)).status).toBe(200);
    const problem = await expectFactorProblem(await mintKey(browser), 403, 'reauthentication_required');
    expect(problem.factorRequired).toBe(true);
    await expectFactorProblem(await browser.request('POST', '/api/auth/logout-all'), 403, 'reauthentication_required');
    expect(await countRows(server, 'api_keys', account.userId)).toBe(0);

    expect((await reauthenticate(browser, { method: 'totp', code: freshCode(server, account.secret) })).status).toBe(
      200,
    );
    expect((await mintKey(browser)).status).toBe(201);
  });

  it('cannot be turned on without a factor (409 conflict); any non-boolean is 400', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    const put = (json: unknown) => browser.request('PUT', '/api/auth/second-factors/step-up', { json });
    await expectProblem(await put({ required: true }), 409, 'conflict');
    for (const required of ['true', 1, null]) await expectProblem(await put({ required }), 400, 'validation_failed');
    await expectProblem(await put({}), 400, 'validation_failed');
    expect((await secondFactorsOf(browser)).stepUpRequiresFactor).toBe(false);
  });
});

describe('native token families', () => {
  it('step up with a factor through the bearer token, and the mfa sign-in stamps both', async () => {
    const server = await startServer();
    const account: TotpAccount = await signUpWithTotp(server);
    const native = new NativeClient(server.origin);
    const pending = await native.request('POST', '/api/auth/token', {
      json: { email: account.email, password: GOOD_PASSWORD },
    });
    const { mfa_token } = (await pending.json()) as { mfa_token: string };
    const finished = await native.request('POST', '/api/auth/login/second-factor', {
      json: { mfa_token, method: 'totp', code: freshCode(server, account.secret) },
    });
    expect(finished.status).toBe(200);
    const tokens = (await finished.json()) as NativeTokens;
    const regenerate = () =>
      native.request('POST', '/api/auth/recovery-codes', { bearer: tokens.access_token, json: {} });
    expect((await regenerate()).status).toBe(200);

    server.advance(11 * MINUTE); // the stamp has gone stale, and so has the access token
    const refreshed = (await (await native.refresh(tokens.refresh_token)).json()) as NativeTokens;
    const stale = () =>
      native.request('POST', '/api/auth/recovery-codes', { bearer: refreshed.access_token, json: {} });
    const problem = await expectFactorProblem(await stale(), 403, 'reauthentication_required');
    expect(problem.factorRequired).toBe(true);
    const reauth = await native.request('POST', '/api/auth/reauthenticate', {
      bearer: refreshed.access_token,
      json: { password: GOOD_PASSWORD, method: 'totp', code: freshCode(server, account.secret) },
    });
    expect(reauth.status).toBe(200);
    expect((await stale()).status).toBe(200);
  });
});
