import { z } from 'zod';
import { enforceRateLimits, ipSubject } from '../accounts/rate-limited.js';
import type { AuditTrail } from '../audit.js';
import type { GatehouseConfig } from '../config.js';
import type { Credentials } from '../credentials.js';
import type { RateLimiter, RateLimits } from '../rate-limit.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { parseInput } from '../validation.js';
import type { AccessTokens } from './access-tokens.js';
import type { RefreshTokens } from './refresh-tokens.js';

/**
 * RFC 7009 §2.1's parameters, JSON-shaped like the rest of the contract. The hint is only a
 * hint (§2.1: a server that does not find the token under it searches every type), and our
 * two kinds cannot be mistaken for each other, so its value is checked for shape and ignored.
 */
const RevokeInput = z.object({
  token: z.string({ message: 'is required' }).min(1, 'is required').max(4096, 'is too long'),
  token_type_hint: z.string({ message: 'must be text' }).max(64, 'is too long').optional(),
});

/** A compact JWS (an access token) has three dot-separated parts; refresh tokens have none. */
const JWT_SHAPE = /^[^.]+\.[^.]+\.[^.]+$/;

export interface TokenRevocationDeps {
  config: GatehouseConfig;
  refreshTokens: RefreshTokens;
  accessTokens: AccessTokens;
  credentials: Credentials;
  audit: AuditTrail;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
}

/**
 * `POST /revoke`: a client gives up a token it holds without signing out otherwise (an app
 * uninstalled, a token found in a crash log). Possession of the token is the whole proof:
 * the route reads no cookie and no Authorization header, so it needs no CSRF check, and
 * revoking someone else's token only does what its holder could have done with it.
 *
 * - A refresh token ends its whole family (RFC 7009 §2.1: SHOULD also invalidate the access
 *   tokens of the same grant): refresh stops working and the family's access tokens are
 *   denied at once. Any token of a live family counts, rotated ones too, because inside the
 *   grace window an old token still leads to the current one.
 * - An access token, once its signature and claims verify, is denied by its `jti` only: the
 *   refresh token keeps working (§2.1 leaves this to the server). A client that wants out
 *   altogether revokes the refresh token.
 * - Anything else (unknown, expired, malformed, someone else's audience) answers the same
 *   200 (§2.2): the client cannot tell which tokens exist, and has nothing left to do.
 */
export class TokenRevocation {
  constructor(private readonly deps: TokenRevocationDeps) {}

  async revoke(request: AuthRequest, body: unknown): Promise<void> {
    const { token } = parseInput(RevokeInput, body);
    // Each attempt costs a store lookup or a signature check: bounded per IP, like the other
    // token-presenting routes (a guesser gets nowhere against 256-bit tokens, but a flood
    // must not cost us unbounded work).
    await enforceRateLimits(this.deps, request, [
      [this.deps.rateLimits.tokenAttemptsPerIp, ipSubject(this.deps, request)],
    ]);
    if (JWT_SHAPE.test(token)) await this.revokeAccessToken(request, token);
    else await this.revokeRefreshToken(request, token);
  }

  private async revokeRefreshToken(request: AuthRequest, token: string): Promise<void> {
    const family = await this.deps.refreshTokens.familyOf(token);
    if (family?.revokedAt !== null) return;
    if (!(await this.deps.credentials.endFamily(family.userId, family.id, 'revoked_by_client'))) return;
    await this.deps.audit.record('session_revoked', {
      userId: family.userId,
      sessionId: family.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: 'revoke_endpoint:refresh_token',
    });
  }

  private async revokeAccessToken(request: AuthRequest, token: string): Promise<void> {
    // Only a token we issued and that is still live: the signature is the proof of origin,
    // so a forged jti cannot deny someone else's token.
    const verified = await this.deps.accessTokens.verify(token, this.deps.config.tokens.audience);
    if (!verified.ok) return;
    const { claims } = verified;
    await this.deps.credentials.denyAccessToken(claims.jti);
    // No userId: a token outlives its account by up to its 10 minutes, and a deleted
    // account's id must not come back into the audit trail it was pseudonymized out of.
    await this.deps.audit.record('session_revoked', {
      sessionId: claims.sid,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: 'revoke_endpoint:access_token',
    });
  }
}
