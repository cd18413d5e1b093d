import { randomInt } from 'node:crypto';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import type { CallResult } from './account-client.js';
import type { AppServerInfo } from './app-servers.js';
import { CREDENTIAL_COOKIES, type BrowserMode } from './modes.js';
import { createCredential, getAssertion, responseOf, type WebAuthnJson } from './virtual-authenticator.js';

/**
 * Second factors (issue 14) for the e2e tests: an authenticator app that computes TOTP codes
 * as a phone would, a client that calls the API from a real page of the app the way each
 * browser mode's client does, and the ceremonies that switch factors on (step-up first).
 */

export type Call = (method: string, path: string, json?: unknown) => Promise<CallResult>;

const PERIOD_S = 30;
/** A code handed out this close to the end of its step could reach the server in the next one. */
const STEP_MARGIN_MS = 4_000;

/** An authenticator app holding one TOTP secret (SHA-1, 6 digits, 30 s, what /totp/setup asks for). */
export class AuthenticatorApp {
  private readonly totp: TOTP;
  private lastStep = -1;

  constructor(readonly secret: string) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_S });
  }

  /**
   * The code of the current 30-second step, as the phone shows it. Each code is given once:
   * a second call waits for the next step (up to 30 s), so no test replays a code by accident.
   */
  async nextCode(): Promise<string> {
    await waitForFreshStep();
    while (stepAt(Date.now()) <= this.lastStep) await sleep(msLeftInStep() + 50);
    this.lastStep = stepAt(Date.now());
    return this.totp.generate();
  }

  /** The code of the last step this app gave out (for replaying it on purpose). */
  lastCode(): string {
    return this.totp.generate({ timestamp: this.lastStep * PERIOD_S * 1000 });
  }

  /** Six digits that are none of this secret's codes from two steps ago to two ahead. */
  wrongCode(): string {
    const near = new Set(
      [-2, -1, 0, 1, 2].map((offset) => this.totp.generate({ timestamp: Date.now() + offset * PERIOD_S * 1000 })),
    );
    for (;;) {
      const guess = String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!near.has(guess)) return guess;
    }
  }
}

/** Waits, if needed, so that a code computed now is still current for a few seconds. */
export async function waitForFreshStep(): Promise<void> {
  if (msLeftInStep() < STEP_MARGIN_MS) await sleep(msLeftInStep() + 50);
}

function stepAt(ms: number): number {
  return Math.floor(ms / 1000 / PERIOD_S);
}

function msLeftInStep(): number {
  return PERIOD_S * 1000 - (Date.now() % (PERIOD_S * 1000));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The API called from a page of the app's own origin, as the mode's client calls it: cookies
 * and a fresh X-CSRF-Token (session, jwt-cookie), or the access token of the last sign-in
 * answer in an Authorization header and no CSRF token (memory-token; the token is held here,
 * the test's stand-in for the client's memory). Requests are the browser's own: Origin,
 * Sec-Fetch-Site and SameSite apply. The page is free to visit other sites in between (a
 * phishing page): `call` comes back to the app first.
 */
export class PageClient {
  accessToken: string | undefined;

  constructor(
    readonly page: Page,
    readonly server: AppServerInfo,
    readonly mode: BrowserMode,
  ) {}

  /** Puts the page on the app's origin (a JSON page of its own: no app code runs beside the test's). */
  async onApp(): Promise<void> {
    const here = this.page.url();
    if (here.startsWith('http') && new URL(here).origin === this.server.origin) return;
    await this.page.goto(`${this.server.origin}/api/health`);
  }

  readonly call: Call = async (method, path, json) => {
    await this.onApp();
    const result = await this.page.evaluate(
      async ({ method, path, json, csrf, bearer }) => {
        const headers: Record<string, string> = {};
        if (csrf && !['GET', 'HEAD'].includes(method)) {
          const answer = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
          headers['X-CSRF-Token'] = answer.csrfToken;
        }
        if (bearer !== undefined) headers.Authorization = `Bearer ${bearer}`;
        if (json !== undefined) headers['Content-Type'] = 'application/json';
        const response = await fetch(path, {
          method,
          headers,
          credentials: 'same-origin',
          ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (a 204): keep the text
        }
        return { status: response.status, body };
      },
      { method, path, json, csrf: this.mode !== 'memory-token', bearer: this.accessToken },
    );
    const token = (result.body as { access_token?: unknown } | null)?.access_token;
    if (typeof token === 'string') this.accessToken = token;
    return result;
  };

  /** POST /login with the password: signed in, or the second step's answer. */
  signIn(email: string, password: string): Promise<CallResult> {
    return this.call('POST', '/api/auth/login', { email, password });
  }
}

/** The answer /login and /password-reset/confirm give when a second factor is on. */
export interface PendingSignIn {
  mfaRequired: true;
  methods: string[];
  mfaToken: string;
  expiresAt: string;
}

/** A 200 that asks for the second step and carries nothing that signs in. */
export function expectPendingSignIn(answer: CallResult): PendingSignIn {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const body = answer.body as Record<string, unknown>;
  expect(body).toMatchObject({ mfaRequired: true, mfaToken: expect.any(String), methods: expect.any(Array) });
  for (const field of ['user', 'session', 'access_token', 'refresh_token', 'token_type']) {
    expect(body, `the pending answer carries "${field}"`).not.toHaveProperty(field);
  }
  return body as unknown as PendingSignIn;
}

/** The credential cookies of the mode that `context` holds for the app (none = not signed in). */
export async function credentialCookieNames(context: BrowserContext, mode: BrowserMode): Promise<string[]> {
  const names = (await context.cookies()).map((cookie) => cookie.name);
  return CREDENTIAL_COOKIES[mode].filter((name) => names.includes(name));
}

/** The pending sign-in cookie (`__Host-gh_mfa`, or `gh_mfa` without Secure cookies). */
export async function pendingCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => /^(__Host-)?gh_mfa$/.test(cookie.name));
}

/** Stamps a recent step-up on the caller's session (a password, a factor, or both). */
export type StepUp = () => Promise<void>;

export function passwordStepUp(call: Call, password: string): StepUp {
  return async () => {
    const answer = await call('POST', '/api/auth/reauthenticate', { password });
    expect(answer.status, `password step-up: ${JSON.stringify(answer.body)}`).toBe(200);
  };
}

/** The password and a fresh code from the authenticator app (POST /reauthenticate, method totp). */
export function totpStepUp(call: Call, password: string, app: AuthenticatorApp): StepUp {
  return async () => {
    const code = await app.nextCode();
    const answer = await call('POST', '/api/auth/reauthenticate', { password, method: 'totp', code });
    expect(answer.status, `TOTP step-up: ${JSON.stringify(answer.body)}`).toBe(200);
  };
}

/** A passkey assertion from the page's authenticator (POST /reauthenticate/options, then /reauthenticate). */
export function passkeyStepUp(client: PageClient): StepUp {
  return async () => {
    const options = await client.call('POST', '/api/auth/reauthenticate/options', {});
    expect(options.status, `step-up options: ${JSON.stringify(options.body)}`).toBe(200);
    const response = responseOf(await getAssertion(client.page, optionsOf(options)));
    const answer = await client.call('POST', '/api/auth/reauthenticate', { method: 'passkey', response });
    expect(answer.status, `passkey step-up: ${JSON.stringify(answer.body)}`).toBe(200);
  };
}

/**
 * `action` right after `stepUp`, again after another step-up while the answer is 403
 * reauthentication_required (three tries): the takeover readers' window is 2 seconds, which
 * a loaded machine can overrun between the step-up and the action (a WebAuthn ceremony
 * sits in between). The SDK asks again the same way.
 */
export async function afterStepUp(stepUp: StepUp, action: () => Promise<CallResult>): Promise<CallResult> {
  let answer: CallResult | undefined;
  for (let attempt = 0; attempt < STEP_UP_TRIES; attempt++) {
    await stepUp();
    answer = await action();
    if (!isStepUpRefusal(answer)) return answer;
  }
  if (answer === undefined) throw new Error('no attempt');
  return answer;
}

const STEP_UP_TRIES = 3;

export function isStepUpRefusal(answer: CallResult): boolean {
  return answer.status === 403 && (answer.body as { code?: string } | null)?.code === 'reauthentication_required';
}

/** `{options}` of an options endpoint. */
export function optionsOf(answer: CallResult): unknown {
  const options = (answer.body as { options?: unknown } | null)?.options;
  if (options === undefined) throw new Error(`no options in ${String(answer.status)} ${JSON.stringify(answer.body)}`);
  return options;
}

export interface PublicPasskey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  deviceType: string;
}

export interface SecondFactors {
  totp: { enabled: boolean; enabledAt: string | null };
  recoveryCodes: { remaining: number };
  passkeys: PublicPasskey[];
  stepUpRequiresFactor: boolean;
}

export async function secondFactors(call: Call): Promise<SecondFactors> {
  const answer = await call('GET', '/api/auth/second-factors');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as SecondFactors;
}

/**
 * Adds a passkey made by the page's authenticator on the app's origin: POST /passkeys/options,
 * navigator.credentials.create(), POST /passkeys. Returns the 201's body.
 */
export async function registerPasskey(
  client: PageClient,
  stepUp: StepUp,
  name = 'Victim laptop',
): Promise<{ passkey: PublicPasskey; recoveryCodes: string[] | null; response: WebAuthnJson }> {
  let response: WebAuthnJson | undefined;
  const added = await afterStepUp(stepUp, async () => {
    const options = await client.call('POST', '/api/auth/passkeys/options', {});
    if (options.status !== 200) return options;
    response = responseOf(await createCredential(client.page, optionsOf(options)));
    return client.call('POST', '/api/auth/passkeys', { response, name });
  });
  expect(added.status, `POST /passkeys: ${JSON.stringify(added.body)}`).toBe(201);
  if (response === undefined) throw new Error('no registration response');
  return { ...(added.body as { passkey: PublicPasskey; recoveryCodes: string[] | null }), response };
}

/** Turns TOTP on as the account page does: setup, then the first code. */
export async function enableTotp(
  call: Call,
  stepUp: StepUp,
): Promise<{ app: AuthenticatorApp; recoveryCodes: string[] | null }> {
  let app: AuthenticatorApp | undefined;
  // The code must come within the step-up window: wait out the end of a step first.
  await waitForFreshStep();
  const enabled = await afterStepUp(stepUp, async () => {
    const setup = await call('POST', '/api/auth/totp/setup', {});
    if (setup.status !== 200) return setup;
    const { secret, uri } = setup.body as { secret: string; uri: string };
    expect(uri).toContain(`secret=${secret}`);
    app = new AuthenticatorApp(secret);
    return call('POST', '/api/auth/totp/enable', { code: await app.nextCode() });
  });
  expect(enabled.status, `POST /totp/enable: ${JSON.stringify(enabled.body)}`).toBe(200);
  if (app === undefined) throw new Error('no TOTP secret');
  return { app, recoveryCodes: (enabled.body as { recoveryCodes: string[] | null }).recoveryCodes };
}

/** The problem code of an error answer. */
export function codeOf(answer: CallResult): string | undefined {
  return (answer.body as { code?: string } | null)?.code;
}
