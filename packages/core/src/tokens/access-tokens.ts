import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { randomToken, type RandomSource } from '../crypto.js';
import {
  ACCESS_TOKEN_TYPE,
  checkHeader,
  claimsFromPayload,
  recheckClaims,
  rejectionForJoseError,
  verifyOptions,
} from './jwt-checks.js';
import type { SigningKeys } from './signing-keys.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const JTI_BYTES = 16; // 128 bits: unguessable, and unique enough to deny one token by it
const DEFAULT_CACHE_SIZE = 10_000;

/** Claims of a verified access token (RFC 9068). */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  /** A user id, or for a service token the service client's id. */
  sub: string;
  /** The session or refresh family the token came from; absent on service tokens. */
  sid?: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  client_id: string;
  /** Space-separated scopes, when the token is narrowed to some. */
  scope?: string;
}

export interface IssueAccessTokenInput {
  subject: string;
  sid?: string;
  audience: string;
  clientId: string;
  scope?: string;
  ttlMs: number;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Why a presented access token was refused; goes to the audit trail, never to the client. */
export type AccessTokenRejection =
  | 'malformed'
  | 'too_large'
  | 'alg_not_allowed'
  | 'forbidden_header'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_type'
  | 'missing_claim';

export type AccessTokenVerification =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: AccessTokenRejection };

export interface AccessTokensOptions {
  keys: SigningKeys;
  issuer: string;
  clockSkewSeconds: number;
  clock: Clock;
  random: RandomSource;
  /** Verified tokens kept in process so a repeat skips the signature check. */
  cacheSize?: number;
}

function reject(reason: AccessTokenRejection): AccessTokenVerification {
  return { ok: false, reason };
}

function requireNonEmpty(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`AccessTokens: ${name} must be a non-empty string`);
}

/**
 * Signs and verifies access JWTs (`typ: at+jwt`), following RFC 8725: algorithms from an
 * allow-list, keys only from our own ring by `kid`, every time and identity claim required.
 * Revocation is not checked here (see RevocationList); this answers "did we sign it, for
 * this audience, and is it within its lifetime".
 */
export class AccessTokens {
  private readonly keys: SigningKeys;
  private readonly issuer: string;
  private readonly clockSkewSeconds: number;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly verified: VerifiedTokenCache;

  constructor(options: AccessTokensOptions) {
    requireNonEmpty('issuer', options.issuer);
    if (!Number.isFinite(options.clockSkewSeconds) || options.clockSkewSeconds < 0) {
      throw new TypeError('AccessTokens: clockSkewSeconds must be a non-negative number');
    }
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    if (!Number.isInteger(cacheSize) || cacheSize < 0)
      throw new TypeError('AccessTokens: cacheSize must be an integer >= 0');
    this.keys = options.keys;
    this.issuer = options.issuer;
    this.clockSkewSeconds = options.clockSkewSeconds;
    this.clock = options.clock;
    this.random = options.random;
    this.verified = new VerifiedTokenCache(cacheSize);
  }

  async issue(input: IssueAccessTokenInput): Promise<IssuedAccessToken> {
    requireNonEmpty('subject', input.subject);
    requireNonEmpty('audience', input.audience);
    requireNonEmpty('clientId', input.clientId);
    if (!Number.isFinite(input.ttlMs) || input.ttlMs < 1000)
      throw new TypeError('AccessTokens: ttlMs must be at least 1000');

    const key = await this.keys.signingKey();
    const iat = Math.floor(this.clock() / 1000);
    const exp = iat + Math.floor(input.ttlMs / 1000);
    const jti = randomToken(JTI_BYTES, this.random);
    const claims: JWTPayload = { client_id: input.clientId };
    if (input.sid !== undefined) claims.sid = input.sid;
    if (input.scope !== undefined) claims.scope = input.scope;

    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(input.audience)
      .setSubject(input.subject)
      .setJti(jti)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { token, jti, expiresAt: exp * 1000 };
  }

  /** Never throws for a bad token: every refusal is a reason (for the audit log, not the client). */
  async verify(token: string, audience: string): Promise<AccessTokenVerification> {
    const cached = this.verified.get(token);
    if (cached !== undefined) {
      // The signature checked out before; time, audience and the key's life can have changed.
      if ((await this.keys.verificationKey(cached.kid)) === undefined) {
        this.verified.delete(token);
        return reject('unknown_kid');
      }
      const rejection = recheckClaims(cached.claims, audience, this.clock(), this.clockSkewSeconds);
      if (rejection === 'expired') this.verified.delete(token);
      return rejection === undefined ? { ok: true, claims: { ...cached.claims } } : reject(rejection);
    }

    const header = checkHeader(token);
    if (!header.ok) return header;
    if (header.kid === undefined) return reject('unknown_kid');
    const key = await this.keys.verificationKey(header.kid);
    if (key === undefined) return reject('unknown_kid');
    // RFC 8725 §3.1: the key decides the algorithm, never the token's header.
    if (key.alg !== header.alg) return reject('alg_not_allowed');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        key.publicKey,
        verifyOptions({
          alg: key.alg,
          issuer: this.issuer,
          audience,
          clockSkewSeconds: this.clockSkewSeconds,
          now: this.clock(),
        }),
      ));
    } catch (error) {
      return reject(rejectionForJoseError(error) ?? 'malformed');
    }
    const claims = claimsFromPayload(payload);
    if (claims === undefined) return reject('missing_claim');
    this.verified.set(token, { claims, kid: key.kid });
    return { ok: true, claims: { ...claims } };
  }
}
