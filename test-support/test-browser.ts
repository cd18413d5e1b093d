import { Agent, fetch, type RequestInit, type Response as UndiciResponse } from 'undici';

export interface RequestOptions {
  /** JSON body; sets Content-Type: application/json. */
  json?: unknown;
  /** Raw body with its own Content-Type header in `headers`. */
  body?: string;
  headers?: Record<string, string>;
  /** The CSRF token to send: a string, or false for none. Default: a fresh one from /csrf. */
  csrf?: string | false;
  /** Origin header: default the server's origin; null omits it. */
  origin?: string | null;
  /** Sec-Fetch-Site header: default `same-origin`; null omits it. */
  secFetchSite?: string | null;
}

/**
 * An HTTP client that behaves like a same-origin browser tab: it keeps a cookie jar, sends
 * Origin and Sec-Fetch-Site as Chromium does for fetch(), and fetches a CSRF token before
 * unsafe requests. Every default can be removed or replaced to play the attacker.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Cookies set with a Path other than `/` are sent only below it, as a browser does. */
  private readonly cookiePaths = new Map<string, string>();
  private readonly dispatcher: Agent | undefined;

  constructor(
    readonly origin: string,
    /** Connect from this loopback address (127.0.0.2 …) to look like another client. */
    localAddress?: string,
    readonly userAgent = 'TestBrowser/1.0',
    /** A connection pool of the caller's, e.g. one that accepts a test TLS certificate. */
    dispatcher?: Agent,
  ) {
    this.dispatcher = dispatcher ?? (localAddress === undefined ? undefined : new Agent({ localAddress }));
  }

  cookieHeader(path = '/'): string {
    return [...this.cookies]
      .filter(([name]) => {
        const cookiePath = this.cookiePaths.get(name) ?? '/';
        return path === cookiePath || path.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`);
      })
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  async csrfToken(): Promise<string> {
    const response = await this.request('GET', '/api/auth/csrf');
    const body = (await response.json()) as { csrfToken: string };
    return body.csrfToken;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<UndiciResponse> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...options.headers };
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null && unsafe) headers.Origin = origin;
    const secFetchSite = options.secFetchSite === undefined ? 'same-origin' : options.secFetchSite;
    if (secFetchSite !== null) headers['Sec-Fetch-Site'] = secFetchSite;
    if (unsafe) {
      const token = options.csrf ?? (await this.csrfToken());
      if (token !== false) headers['X-CSRF-Token'] = token;
    }
    let body = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const cookie = this.cookieHeader(path.split('?')[0]);
    if (cookie !== '') headers.Cookie = cookie;

    const init: RequestInit = { method, headers, body, redirect: 'manual' };
    if (this.dispatcher) init.dispatcher = this.dispatcher;
    const response = await fetch(`${this.origin}${path}`, init);
    this.store(response.headers.getSetCookie());
    return response;
  }

  signup(email: string, password: string, name?: string): Promise<UndiciResponse> {
    return this.request('POST', '/api/auth/signup', { json: { email, password, name } });
  }

  login(email: string, password: string, extra: Record<string, unknown> = {}): Promise<UndiciResponse> {
    return this.request('POST', '/api/auth/login', { json: { email, password, ...extra } });
  }

  me(): Promise<UndiciResponse> {
    return this.request('GET', '/api/auth/me');
  }

  /**
   * A copy of this browser's cookies in a fresh client: what an attacker would replay, or
   * (with another origin) the same browser reaching another instance of a cluster.
   */
  clone(origin = this.origin): TestBrowser {
    const copy = new TestBrowser(origin);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    for (const [name, path] of this.cookiePaths) copy.cookiePaths.set(name, path);
    return copy;
  }

  private store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      const path = /^\s*path=(.*)$/i.exec(attributes.find((attribute) => /^\s*path=/i.test(attribute)) ?? '')?.[1];
      if (expired || value === '') {
        this.cookies.delete(name);
        this.cookiePaths.delete(name);
      } else {
        this.cookies.set(name, value);
        this.cookiePaths.set(name, path?.trim() ?? '/');
      }
    }
  }
}

/** Parses one Set-Cookie line into name, value and lower-cased attributes. */
export function parseSetCookie(line: string): { name: string; value: string; attributes: Map<string, string> } {
  const [pair = '', ...rest] = line.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const [key = '', ...value] = attribute.trim().split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
}

export function findSetCookie(response: UndiciResponse, name: string) {
  const line = response.headers.getSetCookie().find((candidate) => candidate.startsWith(`${name}=`));
  return line === undefined ? undefined : parseSetCookie(line);
}

let counter = 0;
/** A unique email per call, so tests never collide. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${String(process.pid)}-${String(counter)}@example.test`;
}

export const GOOD_PASSWORD = 'correct horse battery staple';
