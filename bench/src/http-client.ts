/**
 * A small HTTP client with a cookie jar, for setting up credentials and for the
 * "rejected after logout?" checks. Not used for load: autocannon does that.
 */
export class BenchClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly origin: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; withCookies?: boolean } = {},
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...options.headers };
    if (options.withCookies !== false && this.cookies.size > 0) headers.Cookie = this.cookieHeader();
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.origin}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.storeCookie(line);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed };
  }

  /** Like request, but anything but the expected status is a broken bench setup. */
  async expect<T>(status: number, method: string, path: string, options: Parameters<BenchClient['request']>[2] = {}) {
    const response = await this.request(method, path, options);
    if (response.status !== status) {
      throw new Error(
        `${method} ${path}: expected ${String(status)}, got ${String(response.status)} ${JSON.stringify(response.body)}`,
      );
    }
    return response.body as T;
  }

  cookieHeader(names?: readonly string[]): string {
    return [...this.cookies]
      .filter(([name]) => names === undefined || names.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  private storeCookie(line: string): void {
    const [pair = ''] = line.split(';');
    const separator = pair.indexOf('=');
    if (separator < 0) return;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    const expired = /max-age=0/i.test(line) || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}
