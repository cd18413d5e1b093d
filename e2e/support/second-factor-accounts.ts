import { expect } from '@playwright/test';
import { TestBrowser } from '../../test-support/test-browser.js';
import type { NativeClient } from '../../test-support/token-client.js';
import type { AccountClient, CallResult } from './account-client.js';
import { otherLoopbackAddress, type Account } from './accounts.js';
import type { AppServerInfo } from './app-servers.js';
import type { Contexts } from './fixtures.js';
import type { BrowserMode } from './modes.js';
import {
  enableTotp,
  expectPendingSignIn,
  PageClient,
  passwordStepUp,
  type AuthenticatorApp,
  type Call,
} from './second-factor.js';
import { ServerState } from './server-state.js';
import { STEP_UP_WINDOW_MS } from './takeover.js';

/**
 * The accounts and sign-ins the second-factor attack tests (phished-password, code-replay,
 * factor-persistence) start from, and what they judge by: the server's live credentials.
 */

/** Long enough for a test that waits for two or three fresh 30-second TOTP steps. */
export const SLOW_TEST_MS = 180_000;

/**
 * The owner turns TOTP on from a browser of their own (password step-up: no factor yet), then
 * signs out, so the account's only live credentials are the ones the test makes next.
 */
export async function turnOnTotp(
  contexts: Contexts,
  server: AppServerInfo,
  mode: BrowserMode,
  account: Account,
): Promise<{ app: AuthenticatorApp; recoveryCodes: string[] }> {
  const owner = new PageClient(await (await contexts.open('plain')).newPage(), server, mode);
  expect((await owner.signIn(account.email, account.password)).status).toBe(200);
  const { app, recoveryCodes } = await enableTotp(owner.call, passwordStepUp(owner.call, account.password));
  expect(recoveryCodes).toHaveLength(10);
  expect((await owner.call('POST', '/api/auth/logout')).status).toBe(204);
  await owner.page.close();
  return { app, recoveryCodes: recoveryCodes ?? [] };
}

/** A pending sign-in from a client over plain HTTP, at a loopback address of its own. */
export async function pendingOverHttp(server: AppServerInfo, account: Account) {
  const client = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-other-sign-in/1.0');
  const response = await client.login(account.email, account.password);
  return expectPendingSignIn({ status: response.status, body: await response.json() });
}

/** An account client's `call` as a function of its own (it keeps its client). */
export function callOf(client: AccountClient): Call {
  return (method, path, json) => client.call(method, path, json);
}

export function secondStep(call: Call, mfaToken: string, answer: Record<string, string>): Promise<CallResult> {
  return call('POST', '/api/auth/login/second-factor', { mfaToken, ...answer });
}

/** POST /token with the password: the native pending sign-in's `mfa_token`, and nothing that signs in. */
export async function nativePending(native: NativeClient, account: Account): Promise<string> {
  const response = await native.request('POST', '/api/auth/token', {
    json: { email: account.email, password: account.password },
  });
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ mfa_required: true, mfa_token: expect.any(String), expires_in: 300 });
  expect(body.methods).toEqual(expect.arrayContaining(['totp', 'recovery_code']));
  for (const field of ['access_token', 'refresh_token', 'mfaToken']) expect(body).not.toHaveProperty(field);
  return body.mfa_token as string;
}

export async function nativeSecondFactor(
  native: NativeClient,
  mfaToken: string,
  answer: Record<string, string>,
): Promise<CallResult> {
  const response = await native.request('POST', '/api/auth/login/second-factor', {
    json: { mfa_token: mfaToken, ...answer },
  });
  return { status: response.status, body: await response.json() };
}

/** No session and no live token family: nobody is signed in to the account. */
export function expectNoLiveCredential(server: AppServerInfo, account: Account): void {
  const state = new ServerState(server);
  try {
    expect(state.sessions(account.userId)).toEqual([]);
    expect(state.liveFamilies(account.userId)).toEqual([]);
  } finally {
    state.close();
  }
}

/** Sleeps until a step-up at `since` is older than the takeover readers' window. */
export async function waitOutStepUpWindow(since: number): Promise<void> {
  const wait = since + STEP_UP_WINDOW_MS + 300 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
