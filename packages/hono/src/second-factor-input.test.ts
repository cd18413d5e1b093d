import type { Response as UndiciResponse } from 'undici';
import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';
import { countRows, expectProblem, FAST_PASSWORDS, signUp } from './test-mail.js';
import {
  expectNoCredentials,
  expectSignInExpired,
  expectWrongCode,
  freshCode,
  secondFactor,
  secondFactorsOf,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  totpSetup,
  wrongCode,
} from './test-second-factor.js';

// Bad input and forged requests on the spec-14 routes: a 4xx problem, never a 500, and
// nothing changes (no factor removed, no code replaced, no attempt used up).

const start = serversPerTest();
const ATTACKER_ORIGIN = 'https://evil.example';

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

function send(browser: TestBrowser, method: string, path: string, body: string, contentType = 'application/json') {
  return browser.request(method, `/api/auth${path}`, { body, headers: { 'Content-Type': contentType } });
}

/** Bodies that are not the object any of these routes expects. */
const NOT_AN_OBJECT: [string, string][] = [
  ['invalid JSON', '{"code": '],
  ['JSON null', 'null'],
  ['a JSON array', '[]'],
  ['a JSON string', '"123456"'],
  ['an empty body', ''],
];

/** Soft: every refused case is reported, and the test goes on to check what changed. */
async function expectRefused(response: UndiciResponse, status: number, code: string, label: string): Promise<void> {
  expectNoCredentials(response);
  const body = (await response.json()) as { code?: string };
  expect.soft({ status: response.status, code: body.code }, label).toEqual({ status, code });
}

describe('POST /login/second-factor', () => {
  it('refuses malformed answers with 400 and uses up none of the five attempts', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const code = freshCode(server, account.secret);
    const bodies: [string, unknown][] = [
      ['no method', { mfaToken, code }],
      ['an unknown method', { mfaToken, method: 'sms', code }],
      ['method __proto__', { mfaToken, method: '__proto__', code }],
      ['no code', { mfaToken, method: 'totp' }],
      ['a numeric code', { mfaToken, method: 'totp', code: Number(code) }],
      ['an array code', { mfaToken, method: 'totp', code: [code] }],
      ['an object code', { mfaToken, method: 'recovery_code', code: { code } }],
      ['a 5000-character code', { mfaToken, method: 'totp', code: '1'.repeat(5000) }],
      ['a numeric mfaToken', { mfaToken: 12345, method: 'totp', code }],
      ['passkey without a response', { mfaToken, method: 'passkey' }],
    ];
    for (const [label, body] of bodies) {
      await expectRefused(
        await send(browser, 'POST', '/login/second-factor', JSON.stringify(body)),
        400,
        'validation_failed',
        label,
      );
    }
    for (const [label, body] of NOT_AN_OBJECT) {
      await expectRefused(await send(browser, 'POST', '/login/second-factor', body), 400, 'validation_failed', label);
    }
    const asText = await send(
      browser,
      'POST',
      '/login/second-factor',
      JSON.stringify({ mfaToken, method: 'totp', code }),
      'text/plain',
    );
    await expectRefused(asText, 415, 'unsupported_media_type', 'text/plain');
    expect((await browser.me()).status).toBe(401);

    // Not one attempt was used, and the right code was not burnt by the refused requests.
    const wrong = await send(
      browser,
      'POST',
      '/login/second-factor',
      JSON.stringify({ mfaToken, method: 'totp', code: wrongCode(account.secret, server.now()) }),
    );
    expect(await expectWrongCode(wrong)).toBe(4);
    const right = await send(
      browser,
      'POST',
      '/login/second-factor',
      JSON.stringify({ mfaToken, method: 'totp', code }),
    );
    expect(right.status).toBe(200);
  });

  it('a cross-site page holding the victim’s pending cookie but not the token uses up no attempt', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser, mfaToken } = await startSignIn(server, account.email);
    const code = wrongCode(account.secret, server.now());
    // The attacker's page can make the victim's browser send the cookie (memory-token mode sets
    // it SameSite=None), but the token lives in the victim page's memory.
    const attackerPage = browser.clone();
    const forged = { csrf: false as const, origin: ATTACKER_ORIGIN, secFetchSite: 'cross-site' };
    const guesses: [string, unknown][] = [
      ['no token', { method: 'totp', code }],
      ['a guessed token', { mfaToken: 'A'.repeat(43), method: 'totp', code }],
    ];
    for (const [label, json] of guesses) {
      const response = await attackerPage.request('POST', '/api/auth/login/second-factor', { json, ...forged });
      expect([400, 401, 403], label).toContain(response.status);
      expectNoCredentials(response);
    }
    const form = await attackerPage.request('POST', '/api/auth/login/second-factor', {
      body: `mfaToken=${'A'.repeat(43)}&method=totp&code=${code}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      ...forged,
    });
    expect([403, 415]).toContain(form.status);
    const first = await browser.request('POST', '/api/auth/login/second-factor', {
      json: { mfaToken, method: 'totp', code },
    });
    expect(await expectWrongCode(first)).toBe(4);
  });

  it('an unknown or garbage mfaToken is sign_in_expired, never a 500', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser } = await startSignIn(server, account.email);
    for (const mfaToken of ['A'.repeat(43), '', 'x', '../../me', 'sésame', '__proto__']) {
      await expectSignInExpired(
        await browser.request('POST', '/api/auth/login/second-factor', {
          json: { mfaToken, method: 'totp', code: '123456' },
        }),
      );
    }
  });

  it('/login/second-factor/options refuses a missing or unknown token', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const { browser } = await startSignIn(server, account.email);
    await expectRefused(
      await send(browser, 'POST', '/login/second-factor/options', '{}'),
      400,
      'validation_failed',
      '{}',
    );
    await expectSignInExpired(
      await send(browser, 'POST', '/login/second-factor/options', JSON.stringify({ mfaToken: 'A'.repeat(43) })),
    );
  });
});

describe('managing factors', () => {
  it('POST /totp/enable: malformed codes are 400, TOTP stays off, and the setup survives', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    const setup = await totpSetup(browser);
    const { secret } = (await setup.json()) as { secret: string };
    const bodies: [string, string][] = [
      ...NOT_AN_OBJECT,
      ['{}', '{}'],
      ['an empty code', '{"code": ""}'],
      ['a null code', '{"code": null}'],
      ['a numeric code', '{"code": 123456}'],
      ['a 5000-character code', JSON.stringify({ code: '1'.repeat(5000) })],
    ];
    for (const [label, body] of bodies) {
      await expectRefused(await send(browser, 'POST', '/totp/enable', body), 400, 'validation_failed', label);
    }
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);
    const enabled = await send(browser, 'POST', '/totp/enable', JSON.stringify({ code: freshCode(server, secret) }));
    expect(enabled.status).toBe(200);
  });

  it('forged requests (CSRF) change nothing: TOTP on, codes kept, setting unchanged', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account); // both step-up stamps fresh
    const forged = { origin: ATTACKER_ORIGIN, secFetchSite: 'cross-site' };
    for (const [method, path, json] of [
      ['DELETE', '/totp', undefined],
      ['POST', '/recovery-codes', {}],
      ['PUT', '/second-factors/step-up', { required: true }],
    ] as const) {
      for (const options of [forged, { csrf: false as const }]) {
        const response = await browser.request(method, `/api/auth${path}`, { json, ...options });
        await expectRefused(response, 403, 'csrf_failed', `${method} ${path}`);
      }
    }
    expect(await secondFactorsOf(browser)).toMatchObject({
      totp: { enabled: true },
      recoveryCodes: { remaining: 10 },
      stepUpRequiresFactor: false,
    });
    const pending = await startSignIn(server, account.email);
    const old = account.recoveryCodes[0] ?? '';
    const signedIn = await secondFactor(pending.browser, {
      mfaToken: pending.mfaToken,
      method: 'recovery_code',
      code: old,
    });
    expect(signedIn.status).toBe(200);
  });

  it('PUT /second-factors/step-up: bodies that are not {required: boolean} are 400, the setting unchanged', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    const bodies: [string, string][] = [...NOT_AN_OBJECT, ['required as text', '{"required": "true"}']];
    for (const [label, body] of bodies) {
      await expectRefused(await send(browser, 'PUT', '/second-factors/step-up', body), 400, 'validation_failed', label);
    }
    expect((await secondFactorsOf(browser)).stepUpRequiresFactor).toBe(false);
  });

  it('POST /recovery-codes with a body that is not JSON {} replaces nothing (400, 415)', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    for (const [label, body] of NOT_AN_OBJECT.filter(([, text]) => text !== '')) {
      await expectRefused(await send(browser, 'POST', '/recovery-codes', body), 400, 'validation_failed', label);
    }
    const asText = await send(browser, 'POST', '/recovery-codes', '{}', 'text/plain');
    await expectRefused(asText, 415, 'unsupported_media_type', 'text/plain');
    const old = account.recoveryCodes[0] ?? '';
    const pending = await startSignIn(server, account.email);
    const signedIn = await secondFactor(pending.browser, {
      mfaToken: pending.mfaToken,
      method: 'recovery_code',
      code: old,
    });
    expect(signedIn.status).toBe(200);
  });

  it('POST /totp/setup with a text/plain body is 415 and does not replace the unfinished setup', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    const { secret } = (await (await totpSetup(browser)).json()) as { secret: string };
    await expectRefused(
      await send(browser, 'POST', '/totp/setup', '{}', 'text/plain'),
      415,
      'unsupported_media_type',
      'text/plain',
    );
    await expectRefused(await send(browser, 'POST', '/totp/setup', '[]'), 400, 'validation_failed', '[]');
    const enabled = await send(browser, 'POST', '/totp/enable', JSON.stringify({ code: freshCode(server, secret) }));
    expect(enabled.status).toBe(200);
  });

  it('POST /reauthenticate with a factor: malformed bodies are 400 and stamp nothing', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    server.advance(11 * 60_000);
    const code = freshCode(server, account.secret);
    const bodies: [string, unknown][] = [
      ['totp without a code', { password: GOOD_PASSWORD, method: 'totp' }],
      ['an unknown method', { password: GOOD_PASSWORD, method: 'sms', code }],
      ['a numeric code', { password: GOOD_PASSWORD, method: 'totp', code: Number(code) }],
      ['totp without the password', { method: 'totp', code }],
      ['recovery_code without the password', { method: 'recovery_code', code: account.recoveryCodes[0] }],
      ['passkey without a response', { method: 'passkey' }],
    ];
    for (const [label, body] of bodies) {
      await expectRefused(
        await send(browser, 'POST', '/reauthenticate', JSON.stringify(body)),
        400,
        'validation_failed',
        label,
      );
    }
    await expectProblem(await browser.request('DELETE', '/api/auth/totp'), 403, 'reauthentication_required');
    expect((await secondFactorsOf(browser)).recoveryCodes.remaining).toBe(10);
    // The code was not burnt by the refused requests.
    const reauth = await send(
      browser,
      'POST',
      '/reauthenticate',
      JSON.stringify({ password: GOOD_PASSWORD, method: 'totp', code }),
    );
    expect(reauth.status).toBe(200);
  });

  it('passkey routes: bad registration is 400, an unknown passkey id is 404, never a 500', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    for (const body of [
      '{}',
      JSON.stringify({ response: 'garbage' }),
      JSON.stringify({ response: { id: 'x', type: 'public-key' } }),
    ]) {
      await expectRefused(await send(browser, 'POST', '/passkeys', body), 400, 'validation_failed', body);
    }
    for (const id of ['unknown', 'A'.repeat(43), '..%2F..%2Ftotp']) {
      await expectRefused(
        await send(browser, 'PATCH', `/passkeys/${id}`, JSON.stringify({ name: 'mine' })),
        404,
        'not_found',
        id,
      );
    }
    const passwordless = new TestBrowser(server.origin);
    for (const body of [
      '{}',
      JSON.stringify({ response: 'garbage' }),
      JSON.stringify({ response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }),
    ]) {
      const response = await send(passwordless, 'POST', '/login/passkey', body);
      expect([400, 401], body).toContain(response.status);
      expectNoCredentials(response);
    }
    expect((await secondFactorsOf(browser)).passkeys).toEqual([]);
  });
});

describe('who may manage factors', () => {
  it('nobody signed out, and no API key (403 forbidden)', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const browser = await signInWithTotp(server, account);
    const minted = await browser.request('POST', '/api/auth/api-keys', {
      json: { name: 'script', scopes: ['read', 'write'] },
    });
    expect(minted.status).toBe(201);
    const { secret } = (await minted.json()) as { secret: string };
    const native = new NativeClient(server.origin);
    const stranger = new TestBrowser(server.origin);
    for (const [method, path, json] of [
      ['GET', '/second-factors', undefined],
      ['POST', '/totp/setup', {}],
      ['DELETE', '/totp', undefined],
      ['POST', '/recovery-codes', {}],
      ['PUT', '/second-factors/step-up', { required: true }],
      ['POST', '/passkeys/options', {}],
      ['POST', '/reauthenticate/options', {}],
    ] as const) {
      const keyed = await native.request(method, `/api/auth${path}`, { bearer: secret, json });
      await expectRefused(keyed, 403, 'forbidden', `API key: ${method} ${path}`);
      const anonymous = await stranger.request(method, `/api/auth${path}`, { json });
      await expectRefused(anonymous, 401, 'unauthenticated', `signed out: ${method} ${path}`);
    }
    expect(await secondFactorsOf(browser)).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
    expect(await countRows(server, 'api_keys', account.userId)).toBe(1);
  });
});
