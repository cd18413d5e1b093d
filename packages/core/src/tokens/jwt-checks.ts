import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import type { SigningAlgorithm } from '../stores/types.js';
import type { AccessTokenClaims, AccessTokenRejection } from './access-tokens.js';

/**
 * The RFC 8725 rules every access token passes, shared by Gatehouse's own verifier and the
 * JWKS-based one other services use, so the two can never disagree on what a valid token is.
 */

/** RFC 8725 §3.1: the verifier, never the token, decides which algorithms are acceptable. */
export const ALLOWED_ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'ES256'];

/** RFC 9068 §2.1: the `typ` that keeps an ID token or any other JWT from passing as an access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Bigger than any token we issue; checked before parsing so a huge header costs nothing. */
export const MAX_TOKEN_LENGTH = 4096;

/** Our kids are base64url thumbprints; anything else (a path, a URL, SQL) is simply unknown. */
export const KID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

export const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'jti', 'iat', 'nbf', 'exp', 'client_id'];

/**
 * Headers that tell the verifier where to get the key (jku, x5u), or hand it the key (jwk,
 * x5c): an attacker who controls them signs with their own key (RFC 8725 §3.10). `crit`
 * demands extensions we do not implement; refusing is what RFC 7515 §4.1.11 requires.
 */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'x5c', 'jwk', 'crit'];

export type HeaderCheck =
  { ok: true; alg: SigningAlgorithm; kid: string | undefined } | { ok: false; reason: AccessTokenRejection };

function isAllowedAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === 'string' && (ALLOWED_ALGORITHMS as readonly string[]).includes(alg);
}

/** Steps 1-3 of verification, on the unverified header: size, shape, forbidden headers, alg. */
export function checkHeader(token: string): HeaderCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'malformed' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'too_large' };
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (FORBIDDEN_HEADERS.some((name) => Object.hasOwn(header, name))) return { ok: false, reason: 'forbidden_header' };
  // `none`, HS256 (signed with our public key as the HMAC secret) and anything else stop here.
  if (!isAllowedAlgorithm(header.alg)) return { ok: false, reason: 'alg_not_allowed' };
  const kid = typeof header.kid === 'string' && KID_SHAPE.test(header.kid) ? header.kid : undefined;
  return { ok: true, alg: header.alg, kid };
}

/** jwtVerify options for step 5. `algorithms` is the one alg of the key the kid named. */
export function verifyOptions(input: {
  alg: SigningAlgorithm;
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  now: number;
}): JWTVerifyOptions {
  return {
    algorithms: [input.alg],
    issuer: input.issuer,
    audience: input.audience,
    typ: ACCESS_TOKEN_TYPE,
    clockTolerance: input.clockSkewSeconds,
    currentDate: new Date(input.now),
    requiredClaims: REQUIRED_CLAIMS,
  };
}

function rejectionForClaim(claim: string, reason: string): AccessTokenRejection {
  // jose says `missing` when absent and `invalid` when of the wrong type (exp as a string).
  if (reason === 'missing' || reason === 'invalid') return 'missing_claim';
  switch (claim) {
    case 'typ':
      return 'wrong_type';
    case 'iss':
      return 'wrong_issuer';
    case 'aud':
      return 'wrong_audience';
    case 'nbf':
      return 'not_yet_valid';
    default:
      return 'malformed';
  }
}

/**
 * The rejection a jose error stands for, or undefined when it is not about the token (a JWKS
 * that could not be fetched, a programming error). Switches on `code`: JWTExpired is not a
 * JWTClaimValidationFailed.
 */
export function rejectionForJoseError(error: unknown): AccessTokenRejection | undefined {
  if (!(error instanceof errors.JOSEError)) return undefined;
  switch (error.code) {
    case errors.JWTExpired.code:
      return 'expired';
    case errors.JWTClaimValidationFailed.code:
      return error instanceof errors.JWTClaimValidationFailed
        ? rejectionForClaim(error.claim, error.reason)
        : 'malformed';
    case errors.JWSSignatureVerificationFailed.code:
      return 'bad_signature';
    case errors.JOSEAlgNotAllowed.code:
    case errors.JOSENotSupported.code:
      return 'alg_not_allowed';
    case errors.JWKSNoMatchingKey.code:
    case errors.JWKSMultipleMatchingKeys.code:
      return 'unknown_kid';
    case errors.JWSInvalid.code:
    case errors.JWTInvalid.code:
      return 'malformed';
    default:
      return undefined;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The claims in our shape, or undefined when one has the wrong JSON type (a numeric `sub`,
 * an array `aud`): jose checks presence, not type, and callers must be able to trust the type.
 * Unknown claims are dropped.
 */
export function claimsFromPayload(payload: JWTPayload): AccessTokenClaims | undefined {
  const { iss, aud, sub, sid, jti, iat, nbf, exp, client_id: clientId, scope } = payload;
  if (!isNonEmptyString(iss) || !isNonEmptyString(aud) || !isNonEmptyString(sub) || !isNonEmptyString(jti)) {
    return undefined;
  }
  if (!isNonEmptyString(clientId) || !isNumericDate(iat) || !isNumericDate(nbf) || !isNumericDate(exp)) {
    return undefined;
  }
  if (!isOptionalString(sid) || !isOptionalString(scope)) return undefined;
  const claims: AccessTokenClaims = { iss, aud, sub, jti, iat, nbf, exp, client_id: clientId };
  if (sid !== undefined) claims.sid = sid;
  if (scope !== undefined) claims.scope = scope;
  return claims;
}

/** The time and audience checks again, for a token whose signature was verified earlier. */
export function recheckClaims(
  claims: AccessTokenClaims,
  audience: string,
  nowMs: number,
  clockSkewSeconds: number,
): AccessTokenRejection | undefined {
  const now = Math.floor(nowMs / 1000);
  if (claims.aud !== audience) return 'wrong_audience';
  if (claims.nbf > now + clockSkewSeconds) return 'not_yet_valid';
  if (claims.exp <= now - clockSkewSeconds) return 'expired';
  return undefined;
}
