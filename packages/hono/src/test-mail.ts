import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Response as UndiciResponse } from 'undici';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../../test-support/mail-catcher.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';

/**
 * Shared by the account-lifecycle HTTP tests (recovery, verification, step-up, password
 * policy): mail from the real SMTP catcher, tokens from its links, stored state by SQL.
 */

/** argon2 at test cost: the policy, not the hash, is under test here. */
export const FAST_PASSWORDS = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
export const NEW_PASSWORD = 'a brand new passphrase for the gate';
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/**
 * For a test file of mailing servers (call it at the top level): one real SMTP catcher for
 * the file, and `startServer` for servers that hash at test cost, mail to the catcher, and
 * stop after each test.
 */
export function mailingServers(): {
  startServer: (options?: TestServerOptions) => Promise<TestServer>;
  readonly catcher: MailCatcher;
} {
  const start = serversPerTest();
  let started: MailCatcher | undefined;
  beforeAll(async () => {
    started = await startMailCatcher();
  });
  afterAll(async () => {
    await started?.close();
  });
  const catcher = (): MailCatcher => {
    if (started === undefined) throw new Error('the mail catcher starts in beforeAll: use it inside a test');
    return started;
  };
  return {
    startServer: (options = {}) =>
      start({ passwordParams: FAST_PASSWORDS, ...options, env: { MAIL_URL: catcher().url, ...options.env } }),
    get catcher() {
      return catcher();
    },
  };
}

/** Subjects of what Gatehouse mails (each ends with " · <app name>"). */
export const SUBJECT = {
  verify: /^Verify your email address/,
  reset: /^Reset your password/,
  confirmChange: /^Confirm your new email address/,
  changeRequested: /^Your email address is about to change/,
  changed: /^Your email address was changed/,
  changeToRegistered: /^Someone asked to use this address/,
  passwordChanged: /^Your password was changed/,
  passwordWasReset: /^Your password was reset/,
  apiKeyCreated: /^A new API key was created/,
  newDevice: /^New sign-in to your account/,
  deleted: /^Your account was deleted/,
} as const;

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: Record<string, string>;
}

export async function problemOf(response: UndiciResponse): Promise<Problem> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as Problem;
}

/** Asserts the status and the problem code in one line. */
export async function expectProblem(response: UndiciResponse, status: number, code: string): Promise<Problem> {
  expect(response.status).toBe(status);
  const problem = await problemOf(response);
  expect(problem.code).toBe(code);
  return problem;
}

/** Waits until the request's background work (the reset lookup) is done and the outbox has sent what is due. */
export async function settle(server: TestServer): Promise<void> {
  await server.gatehouse.accounts.idle();
  await server.gatehouse.mail.idle();
}

/** The first mail to `to` with this subject, delivering what is queued first (no 1 s follow-up wait). */
export async function mailTo(
  server: TestServer,
  catcher: MailCatcher,
  to: string,
  subject: RegExp,
): Promise<CaughtMail> {
  await settle(server);
  return catcher.waitFor(to, { subject });
}

/** Every mail to `to` with this subject, once there are `count` of them. */
export async function mailsTo(
  server: TestServer,
  catcher: MailCatcher,
  to: string,
  subject: RegExp,
  count: number,
): Promise<CaughtMail[]> {
  await settle(server);
  const matching = () => catcher.to(to).filter((mail) => subject.test(mail.subject));
  await expect.poll(() => matching().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return matching();
}

/** Subjects of the mail `to` has received, once nothing more is queued or in flight. */
export async function subjectsTo(server: TestServer, catcher: MailCatcher, to: string): Promise<string[]> {
  await settle(server);
  // The catcher reports a message before it acknowledges it; one more turn for the pipe.
  await new Promise((resolve) => setImmediate(resolve));
  return catcher.to(to).map((mail) => mail.subject);
}

/** The token of the one `#token=` link in a mail (what the app's page reads from the fragment). */
export function tokenFrom(mail: CaughtMail): string {
  const links = mail.links.filter((link) => link.includes('#token='));
  expect(links).toHaveLength(1);
  const link = links[0] ?? '';
  return decodeURIComponent(link.slice(link.indexOf('#token=') + '#token='.length));
}

export function linkFrom(mail: CaughtMail): string {
  return mail.links.find((link) => link.includes('#token=')) ?? '';
}

/** Rows of a table belonging to a user (column `user_id`). */
export async function countRows(server: TestServer, table: string, userId: string): Promise<number> {
  const rows = await server.database.rows(`select count(*) as n from ${table} where user_id = '${userId}'`);
  return Number(rows[0]?.n);
}

export async function userRow(server: TestServer, email: string): Promise<Record<string, unknown> | undefined> {
  const rows = await server.database.rows(`select * from users where email = '${email}'`);
  return rows[0];
}

export interface SignedUp {
  browser: TestBrowser;
  email: string;
  userId: string;
}

/** A fresh account, signed in in its own browser. */
export async function signUp(server: TestServer, email = uniqueEmail(), password = GOOD_PASSWORD): Promise<SignedUp> {
  const browser = new TestBrowser(server.origin);
  const response = await browser.signup(email, password);
  expect(response.status).toBe(201);
  const body = (await response.json()) as { user: { id: string } };
  return { browser, email, userId: body.user.id };
}

/** A fresh account and the verification link its sign-up mailed. */
export async function signUpWithMail(
  server: TestServer,
  catcher: MailCatcher,
  email = uniqueEmail(),
): Promise<SignedUp & { verifyToken: string }> {
  const account = await signUp(server, email);
  const mail = await mailTo(server, catcher, email, SUBJECT.verify);
  return { ...account, verifyToken: tokenFrom(mail) };
}

/** Asks for a reset link for `email` and returns its token. */
export async function resetTokenFor(server: TestServer, catcher: MailCatcher, email: string): Promise<string> {
  const browser = new TestBrowser(server.origin);
  const response = await browser.request('POST', '/api/auth/password-reset', { json: { email } });
  expect(response.status).toBe(202);
  return tokenFrom(await mailTo(server, catcher, email, SUBJECT.reset));
}

export async function meOf(browser: TestBrowser): Promise<{ id: string; email: string; emailVerified: boolean }> {
  const response = await browser.me();
  expect(response.status).toBe(200);
  return ((await response.json()) as { user: { id: string; email: string; emailVerified: boolean } }).user;
}

/**
 * A POST through node:http, which sends the Host header it is given (fetch sets its own):
 * the forged-Host requests of the link-poisoning tests.
 */
export function rawPost(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, setHost: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: text });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
