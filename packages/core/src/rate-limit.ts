import type { Clock } from './clock.js';
import { hmacHex } from './crypto.js';
import type { RateLimitStore } from './stores/types.js';

/**
 * Fixed-window counters in the store. Keys are HMACed with the server secret, so the
 * table holds no email addresses or IPs in clear.
 */
export interface RateLimitRule {
  /** Stable name, also the audit reason when the rule trips. */
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  /** Every login attempt from one IP: stops one machine spraying many accounts. */
  loginPerIp: RateLimitRule;
  /** Attempts on one account from one IP: stops a targeted guesser, touches nobody else. */
  loginPerAccountAndIp: RateLimitRule;
  /**
   * Attempts on one account from anywhere: stops a distributed guesser. One IP feeds it at
   * most `loginPerAccountAndIp.limit` attempts per window, so only a flood from many IPs
   * can trip it, and its window is short on purpose: the owner is locked out for at most a
   * minute after such a flood stops.
   */
  loginPerAccount: RateLimitRule;
  signupPerIp: RateLimitRule;
  /** Reset links asked for one address: one victim's inbox cannot be flooded. */
  passwordResetPerEmail: RateLimitRule;
  /** Reset links asked from one IP, whatever the address: no mass mailing through us. */
  passwordResetPerIp: RateLimitRule;
  /** Verification and email-change links one user can have sent. */
  accountMailPerUser: RateLimitRule;
  /** Single-use link tokens presented from one IP (reset, verify, email change). */
  tokenAttemptsPerIp: RateLimitRule;
  /** Password strength checks from one IP (the form asks as the user types). */
  passwordCheckPerIp: RateLimitRule;
}

const MINUTE = 60_000;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  loginPerIp: { name: 'login_per_ip', limit: 30, windowMs: 5 * MINUTE },
  loginPerAccountAndIp: { name: 'login_per_account_ip', limit: 5, windowMs: 15 * MINUTE },
  loginPerAccount: { name: 'login_per_account', limit: 50, windowMs: MINUTE },
  signupPerIp: { name: 'signup_per_ip', limit: 10, windowMs: 60 * MINUTE },
  passwordResetPerEmail: { name: 'password_reset_per_email', limit: 5, windowMs: 60 * MINUTE },
  passwordResetPerIp: { name: 'password_reset_per_ip', limit: 20, windowMs: 60 * MINUTE },
  accountMailPerUser: { name: 'account_mail_per_user', limit: 5, windowMs: 60 * MINUTE },
  tokenAttemptsPerIp: { name: 'token_attempts_per_ip', limit: 60, windowMs: 15 * MINUTE },
  passwordCheckPerIp: { name: 'password_check_per_ip', limit: 300, windowMs: 5 * MINUTE },
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; rule: RateLimitRule };

export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts this attempt against each rule in order, narrowest source first, and stops at
   * the first rule over its limit. An attempt one rule refuses is not counted against the
   * rules after it: otherwise a single machine hammering one account would fill the
   * account-wide window and lock the owner out from everywhere.
   */
  async consume(checks: readonly (readonly [RateLimitRule, string])[]): Promise<RateLimitDecision> {
    const now = this.clock();
    for (const [rule, subject] of checks) {
      const { count, resetAt } = await this.store.hit(this.key(rule, subject), rule.windowMs, now);
      if (count > rule.limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)), rule };
      }
    }
    return { allowed: true };
  }

  /** Forgets a subject's count, e.g. an account's failures after its owner signs in. */
  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.store.reset(this.key(rule, subject));
  }

  private key(rule: RateLimitRule, subject: string): string {
    return `${rule.name}:${hmacHex(this.secret, subject)}`;
  }
}
