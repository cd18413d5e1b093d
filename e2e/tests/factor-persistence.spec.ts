import { signedInClient } from '../support/account-client.js';
import { createAccount, type Account } from '../support/accounts.js';
import { BROWSER_MODES } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import {
  afterStepUp,
  enableTotp,
  optionsOf,
  PageClient,
  passkeyStepUp,
  passwordStepUp,
  registerPasskey,
  secondFactors,
  totpStepUp,
  type AuthenticatorApp,
  type Call,
} from '../support/second-factor.js';
import { callOf, SLOW_TEST_MS, waitOutStepUpWindow } from '../support/second-factor-accounts.js';
import { expect, test } from '../support/takeover.js';
import { createCredential, getAssertion, responseOf, VirtualAuthenticator } from '../support/virtual-authenticator.js';

// Persistence through factor changes (issue 14), per mode: a thief with a stolen session
// (its cookies copied into another browser) or token, and even the password, tries to swap
// the owner's second factors for its own. The takeover readers' step-up window is 2 seconds.

const PERSISTENCE =
  'Blocked: a stolen session (cookies copied into another browser) or token, even with the password, cannot remove the owner’s TOTP or passkey, add its own, replace the recovery codes or change the step-up setting (403 reauthentication_required, factorRequired); a guessed code or the thief’s own passkey opens nothing; the owner’s factors are unchanged';

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: a session copied into another browser, password or not, cannot remove, add or replace a second factor`,
    takeoverScorecard('factor-persistence', mode, PERSISTENCE),
    async ({ contexts, takeover }) => {
      test.setTimeout(SLOW_TEST_MS);
      const server = await takeover.server(mode);
      const account = await createAccount(server, `factors-${mode}`);

      // The owner adds a passkey (their password is the step-up: no factor yet), then TOTP
      // (the passkey is the step-up now).
      const victimContext = await contexts.open('plain');
      const victim = new PageClient(await victimContext.newPage(), server, mode);
      await VirtualAuthenticator.attach(victim.page);
      expect((await victim.signIn(account.email, account.password)).status).toBe(200);
      const { passkey, recoveryCodes } = await registerPasskey(victim, passwordStepUp(victim.call, account.password));
      expect(recoveryCodes).toHaveLength(10);
      const totp = await enableTotp(victim.call, passkeyStepUp(victim));
      expect(totp.recoveryCodes).toBeNull();
      const lastStepUp = Date.now();
      await takeover.mail.waitFor(account.email, { subject: /^A passkey was added to your account/ });
      await takeover.mail.waitFor(account.email, { subject: /^Two-factor authentication was turned on/ });
      const before = await secondFactors(victim.call);
      expect(before).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
      expect(before.passkeys.map((key) => key.id)).toEqual([passkey.id]);

      // The thief's browser gets every cookie of the victim's, HttpOnly ones included.
      const thiefContext = await contexts.open('plain');
      await thiefContext.addCookies(await victimContext.cookies());
      const thief = new PageClient(await thiefContext.newPage(), server, mode);
      if (mode === 'memory-token') expect((await thief.call('POST', '/api/auth/refresh')).status).toBe(200);
      expect((await thief.call('GET', '/api/auth/me')).status).toBe(200);
      await waitOutStepUpWindow(lastStepUp);

      await expectFactorChangesRefused(thief.call, passkey.id);
      // The password too (phished): the password alone is not enough once 2FA is on.
      expect((await thief.call('POST', '/api/auth/reauthenticate', { password: account.password })).status).toBe(200);
      await expectFactorChangesRefused(thief.call, passkey.id);
      await expectGuessesOpenNothing(thief, account, totp.app);
      await expectFactorChangesRefused(thief.call, passkey.id);

      // The owner's factors are as they were, and no notice of a change went out.
      expect(await secondFactors(victim.call)).toEqual(before);
      expect(takeover.mail.to(account.email).map((mail) => mail.subject)).not.toContainEqual(
        expect.stringMatching(/removed|New recovery codes/),
      );
      // The control: with a factor, the same session replaces the recovery codes.
      const owner = await afterStepUp(passkeyStepUp(victim), () => victim.call('POST', '/api/auth/recovery-codes', {}));
      expect(owner.status, JSON.stringify(owner.body)).toBe(200);
      expect((owner.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    },
  );
}

test(
  'bearer: a stolen access token, password or not, cannot remove, add or replace a second factor',
  takeoverScorecard('factor-persistence', 'bearer', PERSISTENCE),
  async ({ takeover }) => {
    test.setTimeout(SLOW_TEST_MS);
    const server = await takeover.server('session');
    const account = await createAccount(server, 'factors-native');
    const phone = callOf(await signedInClient(server, 'bearer', account));
    const { app, recoveryCodes } = await enableTotp(phone, passwordStepUp(phone, account.password));
    expect(recoveryCodes).toHaveLength(10);
    const lastStepUp = Date.now();
    const before = await secondFactors(phone);

    // The thief replays the phone's access token.
    const stolen = phone;
    await waitOutStepUpWindow(lastStepUp);
    await expectFactorChangesRefused(stolen, undefined, ['totp']);
    expect((await stolen('POST', '/api/auth/reauthenticate', { password: account.password })).status).toBe(200);
    await expectFactorChangesRefused(stolen, undefined, ['totp']);
    const guess = await stolen('POST', '/api/auth/reauthenticate', {
      password: account.password,
      method: 'totp',
      code: app.wrongCode(),
    });
    expect(guess).toMatchObject({ status: 401, body: { code: 'invalid_second_factor' } });
    await expectFactorChangesRefused(stolen, undefined, ['totp']);
    expect(await secondFactors(phone)).toEqual(before);

    // The control: the password and a fresh code from the owner's app do it.
    const owner = await afterStepUp(totpStepUp(phone, account.password, app), () =>
      phone('POST', '/api/auth/recovery-codes', {}),
    );
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
  },
);

/** What would let a thief stay through the owner's recovery asks for a factor, password or not. */
async function expectFactorChangesRefused(
  call: Call,
  passkeyId: string | undefined,
  methods: string[] = ['totp', 'passkey'],
): Promise<void> {
  const attempts: [string, string, unknown?][] = [
    ['DELETE', '/api/auth/totp'],
    ['POST', '/api/auth/totp/setup', {}],
    ['POST', '/api/auth/passkeys/options', {}],
    ['POST', '/api/auth/recovery-codes', {}],
    ['PUT', '/api/auth/second-factors/step-up', { required: true }],
  ];
  if (passkeyId !== undefined) attempts.push(['DELETE', `/api/auth/passkeys/${encodeURIComponent(passkeyId)}`]);
  for (const [method, path, json] of attempts) {
    const answer = await call(method, path, json);
    expect(answer, `${method} ${path}`).toMatchObject({
      status: 403,
      body: { code: 'reauthentication_required', factorRequired: true, methods: expect.arrayContaining(methods) },
    });
  }
}

/**
 * The thief's guesses at a factor: a TOTP code, a recovery code, and a passkey of the
 * thief's own (made on the app's origin by an authenticator in the thief's browser). The
 * browser offers the thief's passkey only when the options' allowCredentials are dropped,
 * and the server does not know it.
 */
async function expectGuessesOpenNothing(thief: PageClient, account: Account, app: AuthenticatorApp): Promise<void> {
  for (const guess of [
    { method: 'totp', code: app.wrongCode() },
    { method: 'recovery_code', code: 'aaaaa-bbbbb' },
  ]) {
    const answer = await thief.call('POST', '/api/auth/reauthenticate', { password: account.password, ...guess });
    expect(answer, guess.method).toMatchObject({ status: 401, body: { code: 'invalid_second_factor' } });
  }
  await VirtualAuthenticator.attach(thief.page);
  await thief.onApp();
  const { hostname } = new URL(thief.server.origin);
  responseOf(
    await createCredential(thief.page, {
      challenge: Buffer.from('thief').toString('base64url'),
      rp: { id: hostname, name: 'thief' },
      user: { id: Buffer.from('thief').toString('base64url'), name: 'thief', displayName: 'thief' },
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -8 },
      ],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    }),
  );
  const options = optionsOf(await thief.call('POST', '/api/auth/reauthenticate/options', {}));
  const offered = await getAssertion(thief.page, options);
  expect(offered.ok, 'the browser offers the owner’s passkey to the thief').toBe(false);
  const own = responseOf(await getAssertion(thief.page, options, { allowCredentials: [] }));
  expect(await thief.call('POST', '/api/auth/reauthenticate', { method: 'passkey', response: own })).toMatchObject({
    status: 401,
    body: { code: 'invalid_second_factor' },
  });
}
