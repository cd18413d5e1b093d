import { serialize, type SerializeOptions } from 'cookie';

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

/** The known-device cookie (accounts/known-devices.ts): host-only like the others when Secure. */
export function deviceCookieName(secure: boolean): string {
  return `${secure ? '__Host-' : ''}gh_device`;
}

/** The pending sign-in cookie (second-factors/pending-sign-ins.ts): the half a script cannot read. */
export function pendingSignInCookieName(secure: boolean): string {
  return `${secure ? '__Host-' : ''}gh_mfa`;
}

/**
 * The only cookies Gatehouse ever reads, in both spellings (with and without the Secure
 * prefixes). Everything else in the header belongs to the app or to sibling subdomains.
 */
const OUR_COOKIES: ReadonlySet<string> = new Set(
  [true, false].flatMap((secure) => {
    const names = cookieNames(secure);
    return [
      names.session,
      names.csrf,
      names.access,
      names.refresh,
      deviceCookieName(secure),
      pendingSignInCookieName(secure),
    ];
  }),
);

/**
 * Never scan more than this. Node's HTTP parser refuses a request whose headers together
 * pass 16 KB (--max-http-header-size), so a longer Cookie header only arrives where the
 * operator raised that limit; there we still read our cookies in the first 64 KB.
 */
const MAX_SCANNED_CHARS = 64 * 1024;

/**
 * Cookie header → our cookies only. Garbage yields fewer entries, never an exception.
 *
 * Attack (issue 15, finding 5): anyone who can set cookies for the registrable domain (a
 * sibling subdomain, a script on one) pads the header with kilobytes of cookies. We used to
 * ignore a header over 8 KB altogether, which dropped the session and CSRF cookies too: the
 * user was signed out and could not sign back in. Now one linear pass over the header picks
 * out our names wherever they are; the padding costs a scan, never a map of its cookies.
 * First occurrence wins, as in the `cookie` package (RFC 6265 §5.4: longer paths first).
 */
export function readCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (header === null || header === '') return cookies;
  let text = header;
  if (text.length > MAX_SCANNED_CHARS) {
    // Stop at the last pair boundary inside the cap: a pair cut in two is not read at all.
    const boundary = text.lastIndexOf(';', MAX_SCANNED_CHARS);
    if (boundary < 0) return cookies;
    text = text.slice(0, boundary);
  }
  const { length } = text;
  // Where the next '=' is, found once and reused while it lies ahead: rescanning for it from
  // every pair would be quadratic in a header of many pairs without one (`a;a;a;…;b=1`).
  let nextEquals = -1;
  let start = 0;
  while (start < length) {
    let end = text.indexOf(';', start);
    if (end < 0) end = length;
    if (nextEquals < start) nextEquals = text.indexOf('=', start);
    if (nextEquals < 0) break; // no '=' anywhere after here: no more pairs
    if (nextEquals < end) {
      const name = trimmed(text, start, nextEquals);
      if (OUR_COOKIES.has(name) && cookies[name] === undefined) {
        cookies[name] = decodeValue(trimmed(text, nextEquals + 1, end));
      }
    }
    start = end + 1;
  }
  return cookies;
}

/** The slice without the blanks (space, tab) around it, as the `cookie` package trims. */
function trimmed(text: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** URL-decoded when it holds a %, else as is; a bad escape leaves the value as sent. */
function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
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
