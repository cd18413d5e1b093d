import { randomInt, randomUUID } from 'node:crypto';
import { TestBrowser } from '../../test-support/test-browser.js';
import type { AppServerInfo } from './app-servers.js';

export interface Account {
  email: string;
  password: string;
  userId: string;
}

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@example.test`;
}

/**
 * A 127.x.y.z source address other than 127.0.0.1 (all of 127/8 is loopback on Linux).
 * Signup is limited to 10 an hour per IP; accounts seeded from addresses of their own keep
 * that budget, and the login budget of 127.0.0.1, for what the browser itself does.
 */
export function otherLoopbackAddress(): string {
  return `127.${String(randomInt(1, 255))}.${String(randomInt(0, 256))}.${String(randomInt(1, 255))}`;
}

/**
 * An account created over plain HTTP, then signed out again, so its only live credentials
 * are the ones a test creates afterwards in the browser.
 */
export async function createAccount(server: AppServerInfo, prefix: string): Promise<Account> {
  const client = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-seed/1.0');
  const email = uniqueEmail(prefix);
  const signup = await client.signup(email, PASSWORD);
  if (signup.status !== 201) throw new Error(`seed signup: ${String(signup.status)} ${await signup.text()}`);
  // memory-token sign-ups answer with an access token: the family is logged out with it.
  const { user, access_token: accessToken } = (await signup.json()) as { user: { id: string }; access_token?: string };
  const logout = await client.request('POST', '/api/auth/logout', {
    headers: accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` },
  });
  if (logout.status !== 204) throw new Error(`seed logout: ${String(logout.status)} ${await logout.text()}`);
  return { email, password: PASSWORD, userId: user.id };
}
