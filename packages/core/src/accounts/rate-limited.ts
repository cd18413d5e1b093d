import { rateLimitSubject } from '../client-ip.js';
import { GatehouseError } from '../errors.js';
import type { CountedAttempt, RateLimitRule } from '../rate-limit.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';

/**
 * Whom this request's per-IP rules count: its address, or for IPv6 its network of
 * GATEHOUSE_IPV6_RATE_LIMIT_PREFIX bits, so a client cannot take a fresh window per address of
 * its /64 (issue 15, per-IP limits). Audit events and sessions keep `request.ip` itself.
 */
export function ipSubject(deps: Pick<AccountDeps, 'config'>, request: AuthRequest): string {
  return rateLimitSubject(request.ip, deps.config.ipv6RateLimitPrefix);
}

/**
 * Counts an attempt against each rule (narrowest first) and refuses with `rate_limited`,
 * audited, when one is over its limit. Returns what was counted, for a later refund.
 */
export async function enforceRateLimits(
  deps: Pick<AccountDeps, 'rateLimiter' | 'audit'>,
  request: AuthRequest,
  checks: readonly (readonly [RateLimitRule, string])[],
  userId?: string,
): Promise<readonly CountedAttempt[]> {
  const decision = await deps.rateLimiter.consume(checks);
  if (decision.allowed) return decision.counted;
  await deps.audit.record('rate_limited', {
    userId,
    ip: request.ip,
    userAgent: userAgentOf(request),
    reason: decision.rule.name,
  });
  throw new GatehouseError(
    'rate_limited',
    `Too many attempts. Try again in ${String(decision.retryAfterSeconds)} seconds.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}
