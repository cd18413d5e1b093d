import { GatehouseError } from '../errors.js';
import type { RateLimitRule } from '../rate-limit.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';

/**
 * Counts an attempt against each rule (narrowest first) and refuses with `rate_limited`,
 * audited, when one is over its limit.
 */
export async function enforceRateLimits(
  deps: Pick<AccountDeps, 'rateLimiter' | 'audit'>,
  request: AuthRequest,
  checks: readonly (readonly [RateLimitRule, string])[],
  userId?: string,
): Promise<void> {
  const decision = await deps.rateLimiter.consume(checks);
  if (decision.allowed) return;
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
