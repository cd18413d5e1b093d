import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthRequest } from '@gatehouse/core';
import { GOOD_PASSWORD, TestBrowser } from '../../../test-support/test-browser.js';
import { NativeClient } from '../../../test-support/token-client.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { enableTotp, freshCode } from './test-second-factor.js';
import {
  countRows,
  MINUTE,
  expectProblem,
  mailingServers,
  NEW_PASSWORD,
  resetTokenFor,
  settle,
  signUp,
  subjectsTo,
} from './test-mail.js';

const mailing = mailingServers();
const { startServer } = mailing;

interface Created {
  appPassword: { id: string; name: string; feverLogin: string; lastUsedAt: string | null };
  password: string;
}

const SHAPE = /^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){4}$/;

function appRequest(ip = '127.0.0.1', userAgent = 'Reeder/5.0'): AuthRequest {
  return { method: 'POST', headers: new Headers({ 'user-agent': userAgent }), ip };
}

function md5(value: string): string {
  return createHash('md5').update(value).digest('hex');
}

async function create(browser: TestBrowser, name = 'Phone'): Promise<Created> {
  const response = await browser.request('POST', '/api/auth/app-passwords', { json: { name } });
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

/** What the three ways in say about a password: ClientLogin, its token, and the Fever key. */
async function acceptedEverywhere(server: TestServer, email: string, created: Created): Promise<boolean[]> {
  const signIn = await server.gatehouse.appPasswordSignIn(appRequest(), email, created.password).catch(() => undefined);
  const fever = await server.gatehouse.authenticateFeverKey(appRequest(), md5(`${email}:${created.password}`));
  return [signIn !== undefined, fever !== undefined];
}

describe('app passwords: creating, listing, revoking', () => {
  it('shows the password once, lists it without it, and the password signs a reader app in', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server);
    const created = await create(browser, '  Phone – Reeder ');
    expect(created.password).toMatch(SHAPE);
    expect(created.appPassword).toMatchObject({ name: 'Phone – Reeder', feverLogin: email, lastUsedAt: null });

    const list = await (await browser.request('GET', '/api/auth/app-passwords')).text();
    expect(list).not.toContain(created.password);
    expect(JSON.parse(list)).toMatchObject({ appPasswords: [{ id: created.appPassword.id }] });
    const rows = await server.database.rows(`select * from app_passwords where user_id = '${userId}'`);
    expect(JSON.stringify(rows)).not.toContain(created.password);

    // Case, dashes and spaces as a phone keyboard leaves them are forgiven; the email's case too.
    const typed = created.password.toUpperCase().replaceAll('-', ' ');
    const { user, token } = await server.gatehouse.appPasswordSignIn(appRequest(), email.toUpperCase(), typed);
    expect(user).toEqual({ userId, email, appPasswordId: created.appPassword.id });
    expect(await server.gatehouse.authenticateAppToken(appRequest(), token)).toEqual(user);
    expect(await server.gatehouse.authenticateFeverKey(appRequest(), md5(`${email}:${created.password}`))).toEqual(
      user,
    );
    const [listed] = (
      (await (await browser.request('GET', '/api/auth/app-passwords')).json()) as {
        appPasswords: { lastUsedAt: string | null; lastUsedClient: string | null }[];
      }
    ).appPasswords;
    expect(listed).toMatchObject({ lastUsedClient: 'Reeder/5.0' });
    expect(listed?.lastUsedAt).not.toBeNull();

    await settle(server);
    expect(await subjectsTo(server, mailing.catcher, email)).toContainEqual(
      expect.stringMatching(/^A new app password/),
    );
    expect(await server.stores.audit.list({ type: 'app_password_created' })).toHaveLength(1);
  });

  it('the account password never works where an app password is asked for', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    await create(browser);
    await expectRefusedSignIn(server, email, GOOD_PASSWORD);
    expect(await server.gatehouse.authenticateFeverKey(appRequest(), md5(`${email}:${GOOD_PASSWORD}`))).toBeUndefined();
    expect(await server.stores.audit.list({ type: 'app_password_rejected' })).not.toHaveLength(0);
  });

  it('an app password is only good with its own account, and a token only whole', async () => {
    const server = await startServer();
    const alice = await signUp(server);
    const bob = await signUp(server);
    const created = await create(alice.browser);
    await expectRefusedSignIn(server, bob.email, created.password);
    const { token } = await server.gatehouse.appPasswordSignIn(appRequest(), alice.email, created.password);
    for (const forged of [
      token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
      token.replace(/^gha_[0-9a-f]{20}/, `gha_${'0'.repeat(20)}`),
      '',
      'gha_',
      `${token} `,
      created.password,
    ]) {
      expect(await server.gatehouse.authenticateAppToken(appRequest(), forged)).toBeUndefined();
    }
  });

  it('needs a fresh password, and with 2FA on the factor too; an API key cannot make one', async () => {
    const server = await startServer();
    const { browser } = await signUp(server);
    server.advance(20 * MINUTE);
    await expectProblem(
      await browser.request('POST', '/api/auth/app-passwords', { json: { name: 'x' } }),
      403,
      'reauthentication_required',
    );
    const reauth = await browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD } });
    expect(reauth.status).toBe(200);
    const { secret } = await enableTotp(server, browser);
    server.advance(20 * MINUTE);
    expect(
      (await browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD } })).status,
    ).toBe(200);
    const problem = await expectProblem(
      await browser.request('POST', '/api/auth/app-passwords', { json: { name: 'x' } }),
      403,
      'reauthentication_required',
    );
    expect(problem).toMatchObject({ factorRequired: true });
    const withCode = await browser.request('POST', '/api/auth/reauthenticate', {
      json: { password: GOOD_PASSWORD, method: 'totp', code: freshCode(server, secret) },
    });
    expect(withCode.status).toBe(200);
    await create(browser);

    const keyResponse = await browser.request('POST', '/api/auth/api-keys', {
      json: { name: 'k', scopes: ['read', 'write'] },
    });
    const { secret: apiKey } = (await keyResponse.json()) as { secret: string };
    const minted = await new NativeClient(server.origin).request('POST', '/api/auth/app-passwords', {
      bearer: apiKey,
      json: { name: 'escalate' },
    });
    expect(minted.status).toBe(403);
  });

  it('refuses bad names and more than 20 live passwords, changing nothing', async () => {
    const server = await startServer();
    const { browser, userId } = await signUp(server);
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 7 }, []]) {
      await expectProblem(
        await browser.request('POST', '/api/auth/app-passwords', { json: body }),
        400,
        'validation_failed',
      );
    }
    expect(await countRows(server, 'app_passwords', userId)).toBe(0);
    for (let n = 0; n < 20; n += 1) await create(browser, `device ${String(n)}`);
    await expectProblem(
      await browser.request('POST', '/api/auth/app-passwords', { json: { name: 'one more' } }),
      400,
      'validation_failed',
    );
    expect(await countRows(server, 'app_passwords', userId)).toBe(20);
  });

  it('revoking stops it on the very next request; nobody revokes another user’s', async () => {
    const server = await startServer();
    const alice = await signUp(server);
    const bob = await signUp(server);
    const created = await create(alice.browser);
    const { token } = await server.gatehouse.appPasswordSignIn(appRequest(), alice.email, created.password);

    const path = `/api/auth/app-passwords/${created.appPassword.id}`;
    await expectProblem(await bob.browser.request('DELETE', path), 404, 'not_found');
    expect(await server.gatehouse.authenticateAppToken(appRequest(), token)).toBeDefined();

    expect((await alice.browser.request('DELETE', path)).status).toBe(204);
    expect(await server.gatehouse.authenticateAppToken(appRequest(), token)).toBeUndefined();
    expect(await acceptedEverywhere(server, alice.email, created)).toEqual([false, false]);
    await expectProblem(await alice.browser.request('DELETE', path), 404, 'not_found');
    expect(await (await alice.browser.request('GET', '/api/auth/app-passwords')).json()).toEqual({ appPasswords: [] });
    expect(await server.stores.audit.list({ type: 'app_password_revoked' })).toHaveLength(1);
  });

  it('a revocation on one instance is refused by another on its very next request', async () => {
    // Two servers on one database: the same SQLite file, or the same PostgreSQL schema.
    const databaseFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-app-passwords-')), 'db.sqlite');
    const first = await startServer({ databaseFile });
    const second = await startServer({ databaseFile });
    const { browser, email } = await signUp(first);
    const created = await create(browser);
    const { token } = await second.gatehouse.appPasswordSignIn(appRequest(), email, created.password);
    expect(await second.gatehouse.authenticateAppToken(appRequest(), token)).toBeDefined();
    expect((await browser.request('DELETE', `/api/auth/app-passwords/${created.appPassword.id}`)).status).toBe(204);
    expect(await second.gatehouse.authenticateAppToken(appRequest(), token)).toBeUndefined();
    expect(await acceptedEverywhere(second, email, created)).toEqual([false, false]);
  });
});

describe('app passwords go with the account’s other credentials', () => {
  it('a password reset revokes them', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const created = await create(browser);
    const token = await resetTokenFor(server, mailing.catcher, email);
    const reset = await new TestBrowser(server.origin).request('POST', '/api/auth/password-reset/confirm', {
      json: { token, newPassword: NEW_PASSWORD },
    });
    expect(reset.status).toBe(200);
    expect(await acceptedEverywhere(server, email, created)).toEqual([false, false]);
  });

  it('signing out everywhere revokes them, even when API keys are kept', async () => {
    const server = await startServer();
    const { browser, email } = await signUp(server);
    const created = await create(browser);
    const response = await browser.request('POST', '/api/auth/logout-all', { json: { keepApiKeys: true } });
    expect(response.status).toBe(204);
    expect(await acceptedEverywhere(server, email, created)).toEqual([false, false]);
  });

  it('deleting the account deletes them', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUp(server);
    const created = await create(browser);
    expect((await browser.request('DELETE', '/api/auth/account', { json: { confirm: email } })).status).toBeLessThan(
      300,
    );
    expect(await countRows(server, 'app_passwords', userId)).toBe(0);
    expect(await acceptedEverywhere(server, email, created)).toEqual([false, false]);
  });
});

describe('app passwords under attack', () => {
  it('a flood of wrong ones from one address turns into 429s; other addresses are not held back', async () => {
    const server = await startServer({
      rateLimits: { appPasswordFailuresPerIp: { name: 'app_password_failures_per_ip', limit: 5, windowMs: 60_000 } },
    });
    const { browser, email } = await signUp(server);
    const created = await create(browser);
    const attacker = appRequest('198.51.100.7');
    for (let n = 0; n < 5; n += 1) {
      await expect(
        server.gatehouse.appPasswordSignIn(attacker, email, 'aaaa-aaaa-aaaa-aaaa-aaaa'),
      ).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    await expect(server.gatehouse.authenticateFeverKey(attacker, md5('x'))).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await expect(server.gatehouse.authenticateAppToken(attacker, 'gha_x')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(await acceptedEverywhere(server, email, created)).toEqual([true, true]);
  });
});

async function expectRefusedSignIn(server: TestServer, email: string, password: string): Promise<void> {
  await expect(server.gatehouse.appPasswordSignIn(appRequest(), email, password)).rejects.toMatchObject({
    code: 'invalid_credentials',
    status: 401,
  });
}
