import { TestBrowser } from '../../test-support/test-browser.js';
import type { CallResult } from '../support/account-client.js';
import { createAccount, otherLoopbackAddress, type Account } from '../support/accounts.js';
import type { AppServer } from '../support/app-servers.js';
import { attackerPage } from '../support/attacker.js';
import { sites } from '../support/environment.js';
import { BROWSER_MODES } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import {
  afterStepUp,
  optionsOf,
  PageClient,
  passkeyStepUp,
  passwordStepUp,
  secondFactors,
  type StepUp,
} from '../support/second-factor.js';
import { ServerState } from '../support/server-state.js';
import { expect, test } from '../support/takeover.js';
import {
  createCredential,
  forgeAssertion,
  getAssertion,
  hasNoneAttestation,
  responseOf,
  strangerChallenge,
  VirtualAuthenticator,
  withClientData,
  type VirtualCredential,
  type WebAuthnJson,
} from '../support/virtual-authenticator.js';

// Passkey phishing (issue 14): a phishing site relays the app's WebAuthn challenges to the
// victim and the answers back to the app. The phishing page is http://evil.localhost:<port>
// (the attacker's server under a name Chromium resolves to loopback and treats as a secure
// context, so WebAuthn runs there; the attacker's usual http://127.0.0.1 cannot, an IP is no
// RP ID). Each of the server's checks is reached alone with an assertion signed by the
// victim's own key (read back from the virtual authenticator) in which one claim is false;
// the same forgery with every claim true signs in, so a refusal is that claim's.

const OUTCOME =
  'Blocked: a passkey answers only on the app’s origin and RP ID, once per challenge; a phishing page’s own passkey, an assertion claiming its origin or RP ID, an unissued or replayed challenge, a counter that did not move: 401, no session; a registration claiming another origin or made on the phishing page: 400, no passkey';

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: passkeys made or used on a phishing page, for another RP ID, or replayed get no session and no passkey`,
    takeoverScorecard('passkey-phishing', mode, OUTCOME),
    async ({ contexts, takeover }) => {
      const server = await takeover.server(mode);
      const account = await createAccount(server, `passkey-phish-${mode}`);
      const appRpId = new URL(server.origin).hostname;
      const phishing = await phishingPageUrl();
      const phishingOrigin = new URL(phishing).origin;
      const phishingRpId = new URL(phishing).hostname;

      const victim = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
      const authenticator = await VirtualAuthenticator.attach(victim.page);
      expect((await victim.signIn(account.email, account.password)).status).toBe(200);
      const stepUp = passwordStepUp(victim.call, account.password);

      // The attacker's usual site cannot even try: Chromium takes no IP address as an RP ID.
      const attackerSite = new URL(sites().attacker);
      await victim.page.goto(await attackerPage('<!doctype html><title>attacker</title>'));
      const onIp = await createCredential(victim.page, creationOptionsFor(attackerSite.hostname));
      expect(onIp).toMatchObject({ ok: false, error: expect.stringMatching(/^SecurityError/) });

      // Registration. A response made for the app whose clientDataJSON claims another origin:
      // with `none` attestation nothing signs clientDataJSON, so only the origin check can tell.
      const tampered = await offerPasskey(victim, stepUp, async (options) => {
        const made = responseOf(await createCredential(victim.page, options));
        expect(hasNoneAttestation(made)).toBe(true);
        return withClientData(made, { origin: sites().attacker });
      });
      expectRefusedRegistration(tampered);
      // The phishing page relays the app's options: the browser will not make a passkey for
      // the app's RP ID there, and one for the phishing site's RP ID is refused by the app.
      const phished = await offerPasskey(victim, stepUp, async (options) => {
        await victim.page.goto(phishing);
        const forApp = await createCredential(victim.page, options);
        expect(forApp).toMatchObject({ ok: false, error: expect.stringMatching(/^SecurityError/) });
        return responseOf(
          await createCredential(victim.page, options, { rp: { id: phishingRpId, name: 'Gatehouse' } }),
        );
      });
      expectRefusedRegistration(phished);
      expect((await secondFactors(victim.call)).passkeys).toEqual([]);

      // The control: made on the app's own origin, it is accepted, once.
      let genuine: WebAuthnJson | undefined;
      const added = await offerPasskey(victim, stepUp, async (options) => {
        genuine = responseOf(await createCredential(victim.page, options));
        return genuine;
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const passkeyId = (added.body as { passkey: { id: string } }).passkey.id;
      // 2FA is on now: the step-up takes the passkey itself.
      const replayedRegistration = await afterStepUp(passkeyStepUp(victim), () =>
        victim.call('POST', '/api/auth/passkeys', { response: genuine, name: 'again' }),
      );
      expectRefusedRegistration(replayedRegistration);
      expect((await secondFactors(victim.call)).passkeys.map((passkey) => passkey.id)).toEqual([passkeyId]);
      const key = await registeredKey(authenticator, passkeyId);

      // Sign-in through a phishing proxy: it fetches the app's challenge (over HTTP, as a
      // server does) and has the victim's browser answer it on the phishing page.
      const proxy = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-passkey-phisher/1.0');
      const since = Date.now();
      const baseline = liveCredentials(server, account);
      await victim.page.goto(phishing);
      const relayed = await passkeyOptions(proxy);
      const forApp = await getAssertion(victim.page, relayed);
      expect(forApp).toMatchObject({ ok: false, error: expect.stringMatching(/^SecurityError/) });
      const phishedAssertion = responseOf(await getAssertion(victim.page, relayed, { rpId: phishingRpId }));
      expectRefusedSignIn(await passkeySignIn(proxy, phishedAssertion));

      // The victim's own key, one false claim at a time.
      const truth = { origin: server.origin, rpId: appRpId, signCount: key.signCount + 1 };
      for (const lie of [{ origin: phishingOrigin }, { origin: sites().attacker }, { rpId: phishingRpId }]) {
        const forged = forgeAssertion(key, {
          ...truth,
          challenge: optionsChallenge(await passkeyOptions(proxy)),
          ...lie,
        });
        expectRefusedSignIn(await passkeySignIn(proxy, forged));
      }
      expectRefusedSignIn(
        await passkeySignIn(proxy, forgeAssertion(key, { ...truth, challenge: strangerChallenge() })),
      );
      expect(liveCredentials(server, account)).toEqual(baseline);

      // A genuine assertion signs in once; the same response again (from the victim's page or
      // from whoever captured it) is refused: its challenge was used.
      const fromVictim = await victim.call('POST', '/api/auth/login/passkey/options', {});
      const assertion = responseOf(await getAssertion(victim.page, optionsOf(fromVictim)));
      const signedIn = await victim.call('POST', '/api/auth/login/passkey', { response: assertion });
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      expect(signedIn.body).toMatchObject({ user: { email: account.email } });
      const afterGenuine = liveCredentials(server, account);
      expectRefusedSignIn(await victim.call('POST', '/api/auth/login/passkey', { response: assertion }));
      expectRefusedSignIn(await passkeySignIn(proxy, assertion));

      // A counter that did not move (a cloned key) is refused; one that did, with every
      // claim true, signs in: the refusals above were each the check they name.
      const used = await registeredKey(authenticator, passkeyId);
      expect(used.signCount).toBeGreaterThan(key.signCount);
      const stale = forgeAssertion(used, {
        ...truth,
        signCount: used.signCount,
        challenge: optionsChallenge(await passkeyOptions(proxy)),
      });
      expectRefusedSignIn(await passkeySignIn(proxy, stale));
      expect(liveCredentials(server, account)).toEqual(afterGenuine);
      const control = forgeAssertion(used, {
        ...truth,
        signCount: used.signCount + 1,
        challenge: optionsChallenge(await passkeyOptions(proxy)),
      });
      const forgedIn = await passkeySignIn(proxy, control);
      expect(forgedIn.status, JSON.stringify(forgedIn.body)).toBe(200);

      // Each refusal reached the check it names (the audit trail keeps the verifier's reason).
      expect(refusalsByCheck(server, since)).toEqual({ unknown: 1, origin: 2, rpId: 1, challenge: 3, counter: 1 });
    },
  );
}

/** The attacker's server under a host name of its own (evil.localhost), a page to run the ceremonies on. */
async function phishingPageUrl(): Promise<string> {
  const url = new URL(await attackerPage('<!doctype html><title>Sign in to Gatehouse</title>'));
  url.hostname = 'evil.localhost';
  return url.href;
}

/** Creation options a page makes up for `rpId` (no server involved). */
function creationOptionsFor(rpId: string): unknown {
  const bytes = (text: string) => Buffer.from(text).toString('base64url');
  return {
    challenge: strangerChallenge(),
    rp: { id: rpId, name: 'attacker' },
    user: { id: bytes('attacker'), name: 'attacker', displayName: 'attacker' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  };
}

/** The add-a-passkey round trip with a response `make` builds from the server's options. */
async function offerPasskey(
  client: PageClient,
  stepUp: StepUp,
  make: (options: unknown) => Promise<WebAuthnJson>,
): Promise<CallResult> {
  return afterStepUp(stepUp, async () => {
    const options = await client.call('POST', '/api/auth/passkeys/options', {});
    if (options.status !== 200) return options;
    const response = await make(optionsOf(options));
    return client.call('POST', '/api/auth/passkeys', { response, name: 'From the phishing page' });
  });
}

function expectRefusedRegistration(answer: CallResult): void {
  expect(answer, JSON.stringify(answer.body)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
}

function expectRefusedSignIn(answer: CallResult): void {
  expect(answer, JSON.stringify(answer.body)).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
  expect(answer.body).not.toHaveProperty('user');
  expect(answer.body).not.toHaveProperty('access_token');
}

async function passkeyOptions(client: TestBrowser): Promise<unknown> {
  const response = await client.request('POST', '/api/auth/login/passkey/options', { json: {} });
  return optionsOf({ status: response.status, body: await response.json() });
}

function optionsChallenge(options: unknown): string {
  return (options as { challenge: string }).challenge;
}

async function passkeySignIn(client: TestBrowser, response: WebAuthnJson): Promise<CallResult> {
  const answer = await client.request('POST', '/api/auth/login/passkey', { json: { response } });
  return { status: answer.status, body: await answer.json() };
}

/** The authenticator's copy of the passkey the server registered. */
async function registeredKey(authenticator: VirtualAuthenticator, passkeyId: string): Promise<VirtualCredential> {
  const key = (await authenticator.credentials()).find((credential) => credential.id === passkeyId);
  if (key === undefined) throw new Error(`the authenticator has no ${passkeyId}`);
  return key;
}

/** Sessions and live token families of the account: what any sign-in adds to. */
function liveCredentials(server: AppServer, account: Account): { sessions: number; families: number } {
  const state = new ServerState(server);
  try {
    return { sessions: state.sessions(account.userId).length, families: state.liveFamilies(account.userId).length };
  } finally {
    state.close();
  }
}

const CHECKS: readonly [string, RegExp][] = [
  ['unknown', /unknown passkey/i],
  ['origin', /origin/i],
  ['rpId', /rp ?id/i],
  ['challenge', /challenge/i],
  ['counter', /counter/i],
];

/** The passkey_sign_in_failed events since `since`, counted by the check their reason names. */
function refusalsByCheck(server: AppServer, since: number): Record<string, number> {
  const state = new ServerState(server);
  try {
    const counts: Record<string, number> = {};
    for (const { reason } of state.auditEvents('passkey_sign_in_failed', since)) {
      const check = CHECKS.find(([, pattern]) => pattern.test(reason ?? ''))?.[0] ?? `other: ${reason ?? ''}`;
      counts[check] = (counts[check] ?? 0) + 1;
    }
    return counts;
  } finally {
    state.close();
  }
}
