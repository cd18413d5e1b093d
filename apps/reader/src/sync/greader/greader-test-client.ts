import { fetch, type Response } from 'undici';

/**
 * A Google Reader client for the protocol tests, speaking as reader apps do: a form POST to
 * ClientLogin, then `Authorization: GoogleLogin auth=…` on every request and the edit
 * token `T` on every POST. Each default can be dropped or replaced to play a broken or
 * hostile client. Test code only (no test-support import, so the build's rootDir holds).
 */
export class GreaderTestClient {
  private editToken: string | undefined;

  constructor(
    readonly base: string,
    /** The GoogleLogin token; undefined sends no Authorization header. */
    public auth: string | undefined,
  ) {}

  /** ClientLogin with an email and password; throws unless it answers 200. */
  static async login(base: string, email: string, password: string): Promise<GreaderTestClient> {
    const response = await clientLogin(base, { Email: email, Passwd: password });
    const text = await response.text();
    const auth = /^Auth=(.+)$/mu.exec(text)?.[1];
    if (response.status !== 200 || auth === undefined) {
      throw new Error(`ClientLogin: ${String(response.status)} ${text}`);
    }
    return new GreaderTestClient(base, auth);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'User-Agent': 'GreaderTestClient/1.0',
      ...(this.auth === undefined ? {} : { Authorization: `GoogleLogin auth=${this.auth}` }),
      ...extra,
    };
  }

  get(path: string, query: Record<string, string | string[]> = {}): Promise<Response> {
    return fetch(`${this.base}${path}${queryString(query)}`, { headers: this.headers() });
  }

  async getJson<T>(path: string, query: Record<string, string | string[]> = {}): Promise<T> {
    const response = await this.get(path, query);
    if (response.status !== 200) throw new Error(`GET ${path}: ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The edit token, fetched once as clients do. */
  async token(): Promise<string> {
    if (this.editToken === undefined) {
      const response = await this.get('/reader/api/0/token');
      this.editToken = await response.text();
      if (response.status !== 200) throw new Error(`token: ${String(response.status)} ${this.editToken}`);
    }
    return this.editToken;
  }

  /**
   * A form POST. `T` is added (the real edit token) unless the fields carry one or `withToken`
   * is false. Fields are pairs so a name can repeat (`i=…&i=…`).
   */
  async post(path: string, fields: [string, string][] = [], withToken = true): Promise<Response> {
    const form = new URLSearchParams(fields);
    if (withToken && !form.has('T')) form.append('T', await this.token());
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: form.toString(),
    });
  }

  /** POST expecting the protocol's `OK`. */
  async postOk(path: string, fields: [string, string][] = []): Promise<void> {
    const response = await this.post(path, fields);
    const text = await response.text();
    if (response.status !== 200 || text !== 'OK') throw new Error(`POST ${path}: ${String(response.status)} ${text}`);
  }
}

export function clientLogin(base: string, fields: Record<string, string>, query = ''): Promise<Response> {
  return fetch(`${base}/accounts/ClientLogin${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'GreaderTestClient/1.0' },
    body: new URLSearchParams(fields).toString(),
  });
}

function queryString(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
