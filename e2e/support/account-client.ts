import { TestBrowser } from '../../test-support/test-browser.js';
import { NativeClient } from '../../test-support/token-client.js';
import { otherLoopbackAddress, type Account } from './accounts.js';
import type { AppServerInfo } from './app-servers.js';
import type { Column } from './modes.js';

export interface CallResult {
  status: number;
  body: unknown;
}

/**
 * One signed-in device of a user over plain HTTP, holding its credential the way the
 * column's client does: the cookies (session, jwt-cookie), an access token from the
 * sign-in answer with the refresh cookie beside it (memory-token), or the tokens of
 * POST /api/auth/token (bearer). For the HTTP-level parts of the account-takeover tests.
 */
export interface AccountClient {
  column: Column;
  call(method: string, path: string, json?: unknown): Promise<CallResult>;
}

export async function signedInClient(server: AppServerInfo, column: Column, account: Account): Promise<AccountClient> {
  if (column === 'bearer') {
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(account.email, account.password);
    return {
      column,
      call: async (method, path, json) =>
        result(await native.request(method, path, { bearer: tokens.access_token, json })),
    };
  }
  const browser = new TestBrowser(server.origin, otherLoopbackAddress(), `e2e-${column}-device/1.0`);
  const login = await browser.login(account.email, account.password);
  if (login.status !== 200) throw new Error(`sign-in: ${String(login.status)} ${await login.text()}`);
  const { access_token: accessToken } = (await login.json()) as { access_token?: string };
  if (column === 'memory-token') {
    if (accessToken === undefined) throw new Error('memory-token sign-in answered without an access token');
    return {
      column,
      call: async (method, path, json) =>
        result(
          await browser.request(method, path, {
            json,
            csrf: false,
            headers: { Authorization: `Bearer ${accessToken}` },
          }),
        ),
    };
  }
  return { column, call: async (method, path, json) => result(await browser.request(method, path, { json })) };
}

/**
 * An API key minted as the account page does it: the password entered again (step-up), then
 * POST /api/auth/api-keys. Returns its secret.
 */
export async function mintApiKey(client: AccountClient, password: string, name = 'e2e script'): Promise<string> {
  const reauthenticated = await client.call('POST', '/api/auth/reauthenticate', { password });
  if (reauthenticated.status !== 200) throw new Error(`step-up: ${String(reauthenticated.status)}`);
  const created = await client.call('POST', '/api/auth/api-keys', { name, scopes: ['read', 'write'] });
  if (created.status !== 201) throw new Error(`api key: ${String(created.status)} ${JSON.stringify(created.body)}`);
  return (created.body as { secret: string }).secret;
}

/** What a script holding `secret` gets from one of the reader's own routes. */
export async function apiKeyStatus(server: AppServerInfo, secret: string): Promise<number> {
  const response = await new NativeClient(server.origin).request('GET', '/api/folders', { bearer: secret });
  await response.text();
  return response.status;
}

/**
 * A POST from a signed-out browser tab over plain HTTP (cookies, CSRF token, Origin), from
 * a loopback address of its own (its own rate-limit budget).
 */
export async function anonymousCall(
  server: AppServerInfo,
  path: string,
  json: unknown,
  { userAgent = 'e2e-anonymous/1.0', localAddress = otherLoopbackAddress() } = {},
): Promise<CallResult> {
  const browser = new TestBrowser(server.origin, localAddress, userAgent);
  return result(await browser.request('POST', path, { json }));
}

async function result(response: { status: number; text(): Promise<string> }): Promise<CallResult> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a 204): keep the text
  }
  return { status: response.status, body };
}
