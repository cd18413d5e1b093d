import { Secret, TOTP } from 'otpauth';
import type { Response as UndiciResponse } from 'undici';
import { expect } from 'vitest';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, type RequestOptions } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { problemOf, signUp, type Problem, type SignedUp } from './test-mail.js';

/**
 * Shared by the second-factor HTTP tests (spec-14): TOTP codes at the server's clock, the
 * pending sign-in, and the checks that nothing was handed out before the second step.
 */

export const MFA_COOKIE = '__Host-gh_mfa';
export const SESSION_COOKIE = '__Host-gh_session';
export const CSRF_COOKIE = '__Host-gh_csrf';
export const ACCESS_COOKIE = '__Host-gh_access';
export const REFRESH_COOKIE = '__Secure-gh_refresh';
export const STEP_MS = 30_000;
export const PENDING_MS = 5 * 60_000;

/**
 * Subjects of the spec-14 notices. The spec names what is mailed, not the wording: these
 * match the subjects as the server words them (see templates.ts).
 */
export const SUBJECT_2FA = {
  turnedOn: /^Two-factor authentication was turned on/,
  totpRemoved: /^(Your authenticator app was removed|Two-factor authentication was turned off)/,
  recoveryCodeUsed: /^A recovery code was used/,
  recoveryCodesRegenerated: /^New recovery codes were (generated|created)/,
} as const;

/** A problem with the spec-14 extensions. */
export interface FactorProblem extends Problem {
  attemptsLeft?: number;
  reason?: 'expired' | 'too_many_attempts';
  factorRequired?: boolean;
  methods?: string[];
}

export async function expectFactorProblem(
  response: UndiciResponse,
  status: number,
  code: string,
): Promise<FactorProblem> {
  expect(response.status).toBe(status);
  const problem = (await problemOf(response)) as FactorProblem;
  expect(problem.code).toBe(code);
  return problem;
}

/** 401 sign_in_expired with the reason the spec gives, and nothing handed out. */
export async function expectSignInExpired(
  response: UndiciResponse,
  reason: 'expired' | 'too_many_attempts' = 'expired',
): Promise<void> {
  expectNoCredentials(response);
  const problem = await expectFactorProblem(response, 401, 'sign_in_expired');
  expect(problem.reason).toBe(reason);
}

/**
 * 401 invalid_second_factor, and nothing handed out; returns attemptsLeft, which a pending
 * sign-in's answer carries (a step-up has no attempt to count down).
 */
export async function expectWrongCode(
  response: UndiciResponse,
  where: 'sign-in' | 'step-up' = 'sign-in',
): Promise<number | undefined> {
  expectNoCredentials(response);
  const problem = await expectFactorProblem(response, 401, 'invalid_second_factor');
  if (where === 'sign-in') expect(problem.attemptsLeft).toEqual(expect.any(Number));
  return problem.attemptsLeft;
}

// ─── TOTP at the server's clock ─────────────────────────────────────────────────────────

export function totpCode(secret: string, timestamp: number): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp });
}

/**
 * Moves the server's clock to the middle of the next 30-second step: the code from here on
 * was never shown before, and a code one step off is unambiguous in both directions.
 */
export function nextStep(server: TestServer): void {
  server.advance(STEP_MS - (server.now() % STEP_MS) + STEP_MS / 2);
}

/** The code of a step never used before (the clock moves to the middle of the next step). */
export function freshCode(server: TestServer, secret: string): string {
  nextStep(server);
  return totpCode(secret, server.now());
}

/** `count` different six-digit codes, none of them the code of a step within ±2 of `at`. */
export function wrongCodes(secret: string, at: number, count: number): string[] {
  const near = new Set([-2, -1, 0, 1, 2].map((offset) => totpCode(secret, at + offset * STEP_MS)));
  const codes: string[] = [];
  for (let n = 1; codes.length < count; n += 1) {
    const candidate = String((n * 104_729) % 1_000_000).padStart(6, '0');
    if (!near.has(candidate) && !codes.includes(candidate)) codes.push(candidate);
  }
  return codes;
}

export function wrongCode(secret: string, at: number): string {
  return wrongCodes(secret, at, 1)[0] ?? '';
}

// ─── Enrolment ──────────────────────────────────────────────────────────────────────────

export interface TotpFactor {
  secret: string;
  recoveryCodes: string[];
}

export type TotpAccount = SignedUp & TotpFactor;

export function totpSetup(browser: TestBrowser, options: RequestOptions = {}) {
  return browser.request('POST', '/api/auth/totp/setup', { json: {}, ...options });
}

export function totpEnable(browser: TestBrowser, code: unknown) {
  return browser.request('POST', '/api/auth/totp/enable', { json: { code } });
}

/** Setup then enable on a browser whose step-up is fresh; returns the secret and the codes. */
export async function enableTotp(server: TestServer, browser: TestBrowser): Promise<TotpFactor> {
  const setup = await totpSetup(browser);
  expect(setup.status).toBe(200);
  const { secret } = (await setup.json()) as { secret: string };
  const enabled = await totpEnable(browser, freshCode(server, secret));
  expect(enabled.status).toBe(200);
  const { recoveryCodes } = (await enabled.json()) as { recoveryCodes: string[] };
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

/** A fresh account with TOTP on, its sign-up browser still signed in. */
export async function signUpWithTotp(server: TestServer): Promise<TotpAccount> {
  const account = await signUp(server);
  return { ...account, ...(await enableTotp(server, account.browser)) };
}

export interface SecondFactorsBody {
  totp: { enabled: boolean; enabledAt: string | null };
  recoveryCodes: { remaining: number };
  passkeys: unknown[];
  stepUpRequiresFactor: boolean;
}

export async function secondFactorsOf(browser: TestBrowser): Promise<SecondFactorsBody> {
  const response = await browser.request('GET', '/api/auth/second-factors');
  expect(response.status).toBe(200);
  return (await response.json()) as SecondFactorsBody;
}

// ─── The pending sign-in ────────────────────────────────────────────────────────────────

export interface PendingBody {
  mfaRequired: true;
  methods: string[];
  mfaToken: string;
  expiresAt: string;
}

export interface Pending {
  browser: TestBrowser;
  mfaToken: string;
  body: PendingBody;
  response: UndiciResponse;
}

/** POST /login with the right password on an account with a factor: the pending answer. */
export async function startSignIn(
  server: TestServer,
  email: string,
  browser = new TestBrowser(server.origin),
  extra: Record<string, unknown> = {},
): Promise<Pending> {
  const response = await browser.login(email, GOOD_PASSWORD, extra);
  expect(response.status).toBe(200);
  const body = (await response.json()) as PendingBody;
  expect(body.mfaRequired).toBe(true);
  return { browser, mfaToken: body.mfaToken, body, response };
}

export function secondFactor(browser: TestBrowser, body: unknown, options: RequestOptions = {}) {
  return browser.request('POST', '/api/auth/login/second-factor', { json: body, ...options });
}

/** Password, then a fresh TOTP code: a browser signed in in full. */
export async function signInWithTotp(
  server: TestServer,
  account: TotpAccount,
  browser = new TestBrowser(server.origin),
): Promise<TestBrowser> {
  const { mfaToken } = await startSignIn(server, account.email, browser);
  const response = await secondFactor(browser, { mfaToken, method: 'totp', code: freshCode(server, account.secret) });
  expect(response.status).toBe(200);
  expect((await browser.me()).status).toBe(200);
  return browser;
}

/** Whether a Set-Cookie of this name hands out a value (not an expiry). */
export function issuesCookie(response: UndiciResponse, name: string): boolean {
  const cookie = findSetCookie(response, name);
  return cookie !== undefined && cookie.value !== '' && cookie.attributes.get('max-age') !== '0';
}

/** No session, access or refresh cookie handed out by this response. */
export function expectNoCredentials(response: UndiciResponse): void {
  for (const name of [SESSION_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE]) {
    expect(issuesCookie(response, name), name).toBe(false);
  }
}

/** The pending answer of spec-14 exactly: no user, session or token in it. */
export function expectPendingBody(body: Record<string, unknown>, now: number): void {
  expect(Object.keys(body).sort()).toEqual(['expiresAt', 'methods', 'mfaRequired', 'mfaToken']);
  expect(body.mfaRequired).toBe(true);
  expect(body.mfaToken).toEqual(expect.any(String));
  expect((body.mfaToken as string).length).toBeGreaterThanOrEqual(32);
  expect(Date.parse(body.expiresAt as string)).toBe(now + PENDING_MS);
}

/** A code as a person might type it: upper case, spaces, without the dash. */
export function typedLoosely(recoveryCode: string): string {
  const bare = recoveryCode.replaceAll('-', '').toUpperCase();
  return ` ${bare.slice(0, 3)} ${bare.slice(3)} `;
}
