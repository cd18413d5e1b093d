import { constantTimeEqual, randomToken, secureRandom, type RandomSource } from './crypto.js';

/**
 * CSRF defence in three independent layers, each enough on its own to stop a classic
 * cross-site form or fetch (OWASP CSRF cheat sheet; Django's CsrfViewMiddleware):
 *   1. Fetch Metadata: browsers label cross-site requests `Sec-Fetch-Site: cross-site`.
 *   2. Origin (or Referer when Origin is absent) must be one of our trusted origins.
 *   3. A secret token: `X-CSRF-Token` must carry the secret bound to the session (or, before
 *      sign-in, to the CSRF cookie). A cross-site page can neither read it nor set the
 *      `__Host-` cookie, and a custom header forces a CORS preflight we never grant.
 * The reason for a rejection goes to the security log and the audit trail, never to the
 * client, which gets one generic `csrf_failed`.
 */

export type CsrfRejection =
  | 'cross_site_fetch'
  | 'origin_null'
  | 'origin_untrusted'
  | 'referer_untrusted'
  | 'origin_missing'
  | 'token_missing'
  | 'token_malformed'
  | 'secret_missing'
  | 'token_mismatch';

const SECRET_BYTES = 32;
const SECRET_LENGTH = 43; // base64url of 32 bytes
const MASKED_LENGTH = 86; // base64url of 64 bytes: mask ‖ (mask XOR secret)
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createCsrfSecret(random: RandomSource = secureRandom): string {
  return randomToken(SECRET_BYTES, random);
}

export function isWellFormedCsrfSecret(value: string | undefined): value is string {
  return value?.length === SECRET_LENGTH && BASE64URL.test(value);
}

/**
 * A fresh one-time pad over the secret for every response that carries it, so the bytes
 * in the body differ each time and compression side channels (BREACH) learn nothing.
 */
export function maskCsrfSecret(secret: string, random: RandomSource = secureRandom): string {
  const secretBytes = Buffer.from(secret, 'base64url');
  const mask = Buffer.from(random(SECRET_BYTES));
  const masked = Buffer.alloc(SECRET_BYTES);
  for (let i = 0; i < SECRET_BYTES; i++) masked[i] = (secretBytes[i] ?? 0) ^ (mask[i] ?? 0);
  return Buffer.concat([mask, masked]).toString('base64url');
}

/** The secret inside a submitted token: masked (from /csrf) or the raw cookie value. */
function unmaskCsrfToken(token: string): Buffer | undefined {
  if (!BASE64URL.test(token)) return undefined;
  if (token.length === SECRET_LENGTH) return Buffer.from(token, 'base64url');
  if (token.length !== MASKED_LENGTH) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  const secret = Buffer.alloc(SECRET_BYTES);
  for (let i = 0; i < SECRET_BYTES; i++) secret[i] = (bytes[i] ?? 0) ^ (bytes[i + SECRET_BYTES] ?? 0);
  return secret;
}

export interface CsrfRequest {
  method: string;
  headers: Headers;
}

/** Layers 1 and 2: where the request comes from. `undefined` means it passed. */
export function checkRequestProvenance(
  request: CsrfRequest,
  isTrustedOrigin: (origin: string) => boolean,
): CsrfRejection | undefined {
  // Layer 1. Only `cross-site` is refused here: `same-site` (a sibling subdomain) still
  // has to pass the Origin check below, and browsers without Fetch Metadata send nothing.
  if (request.headers.get('sec-fetch-site') === 'cross-site') return 'cross_site_fetch';

  // Layer 2. Browsers send Origin on every POST/PUT/PATCH/DELETE they make; "null" comes
  // from sandboxed frames, data: URLs and cross-origin redirects, and is never trusted.
  const origin = request.headers.get('origin');
  if (origin !== null) {
    if (origin === 'null') return 'origin_null';
    return isTrustedOrigin(origin) ? undefined : 'origin_untrusted';
  }
  // No Origin: an old browser or a non-browser client. Fall back to Referer, as Django
  // does; with neither we cannot tell a forged request from a real one, so we refuse.
  const referer = request.headers.get('referer');
  if (referer === null) return 'origin_missing';
  const refererOrigin = originOf(referer);
  return refererOrigin !== undefined && isTrustedOrigin(refererOrigin) ? undefined : 'referer_untrusted';
}

/** Layer 3: the submitted token must carry `expectedSecret`. */
export function checkCsrfToken(
  submitted: string | null,
  expectedSecret: string | undefined,
): CsrfRejection | undefined {
  if (submitted === null || submitted === '') return 'token_missing';
  const secret = unmaskCsrfToken(submitted);
  if (secret === undefined) return 'token_malformed';
  if (!isWellFormedCsrfSecret(expectedSecret)) return 'secret_missing';
  return constantTimeEqual(secret, Buffer.from(expectedSecret, 'base64url')) ? undefined : 'token_mismatch';
}

/** A normalized, exact-match origin predicate built once from configuration. */
export function trustedOriginPredicate(trustedOrigins: readonly string[]): (origin: string) => boolean {
  const allowed = new Set(trustedOrigins);
  return (origin) => {
    const normalized = originOf(origin);
    return normalized !== undefined && allowed.has(normalized);
  };
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
