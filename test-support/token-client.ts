import { fetch, type Response as UndiciResponse } from 'undici';

/** What `POST /api/auth/token` and a native refresh return. */
export interface NativeTokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/**
 * A native app or CLI: no cookies, no Origin, no CSRF token; credentials only in the body
 * and the Authorization header.
 */
export class NativeClient {
  constructor(readonly origin: string) {}

  request(
    method: string,
    path: string,
    options: { json?: unknown; bearer?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.bearer !== undefined) headers.Authorization = `Bearer ${options.bearer}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    return fetch(`${this.origin}${path}`, { method, headers, body, redirect: 'manual' });
  }

  async signIn(email: string, password: string): Promise<NativeTokens> {
    const response = await this.request('POST', '/api/auth/token', { json: { email, password } });
    if (response.status !== 200) throw new Error(`token: ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as NativeTokens;
  }

  refresh(refreshToken: string): Promise<UndiciResponse> {
    return this.request('POST', '/api/auth/refresh', { json: { refresh_token: refreshToken } });
  }

  whoami(accessToken: string): Promise<UndiciResponse> {
    return this.request('GET', '/api/test/whoami', { bearer: accessToken });
  }
}
