import { createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { systemClock, type Clock } from '../clock.js';
import type { SigningAlgorithm } from '../stores/types.js';
import type { AccessTokenRejection, AccessTokenVerification } from './access-tokens.js';
import { checkHeader, claimsFromPayload, rejectionForJoseError, verifyOptions } from './jwt-checks.js';

export interface AccessTokenVerifierOptions {
  /** Gatehouse's `/.well-known/jwks.json`: https, or http to a loopback address only. */
  jwksUrl: string | URL;
  /** Must equal the `iss` Gatehouse signs with. */
  issuer: string;
  /** This service's own name: a token minted for another service is refused here. */
  audience: string;
  clockSkewSeconds?: number;
  clock?: Clock;
  /** After a fetch, an unknown kid waits this long before the JWKS is fetched again. */
  refetchCooldownMs?: number;
  /** A fetched JWKS is used this long before it is fetched again anyway. */
  cacheMaxAgeMs?: number;
  /** Gives up on a JWKS fetch after this long. */
  fetchTimeoutMs?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenVerification>;

/**
 * The JWKS could not be fetched or read. Not the token's fault, so it is thrown rather than
 * returned: the service should answer 503 and let the client retry, not 401 and make it
 * sign in again. It still fails closed: nothing is verified without our keys.
 */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

const DEFAULTS = {
  clockSkewSeconds: 30,
  // jose's own defaults: at most one fetch per 30 s however many made-up kids arrive.
  refetchCooldownMs: 30_000,
  cacheMaxAgeMs: 10 * 60_000,
  fetchTimeoutMs: 5_000,
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Keys fetched over plain http could be swapped by anyone on the path: only loopback may. */
function parseJwksUrl(value: string | URL): URL {
  const url = new URL(value);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new TypeError('createAccessTokenVerifier: jwksUrl must be https (http only to a loopback address)');
}

function isKeySelectionError(error: unknown): boolean {
  return (
    error instanceof errors.JOSEError &&
    (error.code === errors.JWKSNoMatchingKey.code || error.code === errors.JWKSMultipleMatchingKeys.code)
  );
}

/** Whether the JWKS has this kid under another algorithm: then the header's alg is the lie. */
function publishedUnderOtherAlg(jwks: JSONWebKeySet | undefined, kid: string, alg: SigningAlgorithm): boolean {
  return jwks?.keys.some((key) => key.kid === kid && key.alg !== undefined && key.alg !== alg) ?? false;
}

/**
 * `verifyAccessToken` for other services: the same RFC 8725 checks as Gatehouse's own
 * verifier, with keys from Gatehouse's JWKS. jose caches the key set and refetches it when a
 * token names a kid it has not seen (a rotation), so no request costs a call to Gatehouse.
 * Revocation is not visible from here: keep access tokens short-lived.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const settings = { ...DEFAULTS, ...options };
  if (settings.issuer === '' || settings.audience === '') {
    throw new TypeError('createAccessTokenVerifier: issuer and audience are required');
  }
  const clock = settings.clock ?? systemClock;
  const remoteKeys = createRemoteJWKSet(parseJwksUrl(settings.jwksUrl), {
    cooldownDuration: settings.refetchCooldownMs,
    cacheMaxAge: settings.cacheMaxAgeMs,
    timeoutDuration: settings.fetchTimeoutMs,
  });
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remoteKeys(header, token);
    } catch (error) {
      if (isKeySelectionError(error)) throw error;
      throw new JwksUnavailableError('the JWKS could not be fetched or read', { cause: error });
    }
  };
  const reject = (reason: AccessTokenRejection): AccessTokenVerification => ({ ok: false, reason });

  return async function verifyAccessToken(token: string): Promise<AccessTokenVerification> {
    const header = checkHeader(token);
    if (!header.ok) return header;
    if (header.kid === undefined) return reject('unknown_kid');
    try {
      const { payload } = await jwtVerify(
        token,
        getKey,
        verifyOptions({
          alg: header.alg,
          issuer: settings.issuer,
          audience: settings.audience,
          clockSkewSeconds: settings.clockSkewSeconds,
          now: clock(),
        }),
      );
      const claims = claimsFromPayload(payload);
      return claims === undefined ? reject('missing_claim') : { ok: true, claims };
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw error;
      const reason = rejectionForJoseError(error) ?? 'malformed';
      // jose looks keys up by kid and alg together; tell "not ours" from "ours, wrong alg".
      if (reason === 'unknown_kid' && publishedUnderOtherAlg(remoteKeys.jwks(), header.kid, header.alg)) {
        return reject('alg_not_allowed');
      }
      return reject(reason);
    }
  };
}
