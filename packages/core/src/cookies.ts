import { parse, serialize, type SerializeOptions } from 'cookie';

/**
 * Cookie names and attributes in one place. With Secure cookies on (always in production),
 * names carry the `__Host-` prefix: the browser then refuses them unless Secure, Path=/ and
 * host-only, so a sibling subdomain or a plain-HTTP attacker cannot plant or overwrite them
 * (RFC 6265bis §4.1.3.2). Chromium honours Secure on http://localhost, so development keeps
 * the prefix too; only an explicit GATEHOUSE_SECURE_COOKIES=false drops it.
 */
export interface CookieNames {
  session: string;
  csrf: string;
  /** jwt-cookie mode: the access JWT. */
  access: string;
  /** Token modes: the refresh token. `__Secure-`, not `__Host-`: it is scoped to one path. */
  refresh: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const host = secure ? '__Host-' : '';
  return {
    session: `${host}gh_session`,
    csrf: `${host}gh_csrf`,
    access: `${host}gh_access`,
    refresh: `${secure ? '__Secure-' : ''}gh_refresh`,
  };
}

/** Cookie header → name/value map. Garbage yields fewer entries, never an exception. */
export function readCookies(header: string | null): Record<string, string> {
  if (header === null || header === '' || header.length > 8192) return {};
  const parsed = parse(header);
  const cookies: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== undefined) cookies[name] = value;
  }
  return cookies;
}

interface CookieOptions {
  secure: boolean;
  /** Default `/`; the refresh cookie is scoped to the refresh endpoint. */
  path?: string;
  /** Default `lax`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Readable by script: only for the CSRF cookie, on purpose (the SDK reads it). */
  scriptReadable?: boolean;
  /** Seconds; undefined makes a browser-session cookie. */
  maxAgeSeconds?: number | undefined;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const attributes: SerializeOptions = {
    path: options.path ?? '/',
    httpOnly: options.scriptReadable !== true,
    secure: options.secure,
    sameSite: options.sameSite ?? 'lax',
  };
  if (options.maxAgeSeconds !== undefined) attributes.maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  return serialize(name, value, attributes);
}

/** Deletes a cookie: same name and attributes it was set with, empty value, Max-Age=0. */
export function expireCookie(name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): string {
  return serializeCookie(name, '', { ...options, maxAgeSeconds: 0 });
}
