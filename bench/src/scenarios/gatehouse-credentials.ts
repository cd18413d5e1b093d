import { BENCH_PUBLIC_ORIGIN } from '../bench-settings.js';
import { BenchClient } from '../http-client.js';

/** Every request the Gatehouse server sees arrived through its TLS proxy. */
export const PROXY_HEADERS = { 'X-Forwarded-Proto': 'https' } as const;
/** What a same-site browser sends with a state-changing request. */
export const BROWSER_HEADERS = { ...PROXY_HEADERS, Origin: BENCH_PUBLIC_ORIGIN, 'Sec-Fetch-Site': 'same-origin' };

export const BENCH_PASSWORD = 'correct horse battery staple bench';

interface TokenBody {
  access_token: string;
  refresh_token: string;
}

/** A signed-up browser user: its cookie jar, and the CSRF token its next unsafe request needs. */
export async function signUpBrowser(origin: string, email: string): Promise<BenchClient> {
  const browser = new BenchClient(origin, BROWSER_HEADERS);
  const { csrfToken } = await browser.expect<{ csrfToken: string }>(200, 'GET', '/api/auth/csrf');
  await browser.expect(201, 'POST', '/api/auth/signup', {
    json: { email, password: BENCH_PASSWORD, name: 'Bench' },
    headers: { 'X-CSRF-Token': csrfToken },
  });
  return browser;
}

/** A fresh CSRF token for the browser's current credential. */
export async function csrfTokenOf(browser: BenchClient): Promise<string> {
  return (await browser.expect<{ csrfToken: string }>(200, 'GET', '/api/auth/csrf')).csrfToken;
}

/** A native sign-in (POST /api/auth/token): no cookies, no Origin. */
export async function nativeTokens(origin: string, email: string): Promise<TokenBody> {
  const native = new BenchClient(origin, PROXY_HEADERS);
  return native.expect<TokenBody>(200, 'POST', '/api/auth/token', { json: { email, password: BENCH_PASSWORD } });
}

export async function createApiKey(browser: BenchClient): Promise<{ id: string; secret: string }> {
  const created = await browser.expect<{ apiKey: { id: string }; secret: string }>(201, 'POST', '/api/auth/api-keys', {
    json: { name: 'bench', scopes: ['read'] },
    headers: { 'X-CSRF-Token': await csrfTokenOf(browser) },
  });
  return { id: created.apiKey.id, secret: created.secret };
}

/** Status of a "who am I" replayed with exactly these headers (no cookie jar). */
export async function replayStatus(origin: string, path: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${origin}${path}`, { headers: { ...PROXY_HEADERS, ...headers } });
  await response.arrayBuffer();
  return response.status;
}
