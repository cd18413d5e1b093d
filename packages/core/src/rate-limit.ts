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
  /**
   * Failed login attempts from one IP (or IPv6 network): stops one machine spraying many
   * accounts. A sign-in that succeeds is taken back, so an office behind one NAT is not
   * locked out by its own people signing in.
   */
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
  /**
   * Wrong TOTP or recovery codes for one account, whatever the pending sign-in or address:
   * stops a distributed guesser who has the password. Right answers are taken back, and the
   * window is short enough that the owner waits at most a quarter of an hour (a passkey is
   * never held back by it).
   */
  secondFactorPerAccount: RateLimitRule;
  /**
   * Wrong app passwords, sync tokens and Fever keys from one IP. Those are 100-bit random
   * secrets, so this is not what stops guessing: it turns a flood into cheap 429s.
   */
  appPasswordFailuresPerIp: RateLimitRule;
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
  secondFactorPerAccount: { name: 'second_factor_per_account', limit: 10, windowMs: 15 * MINUTE },
  appPasswordFailuresPerIp: { name: 'app_password_failures_per_ip', limit: 30, windowMs: 5 * MINUTE },
};

/** One attempt counted in one rule's window: what `RateLimiter.refund` takes back. */
export interface CountedAttempt {
  readonly rule: RateLimitRule;
  readonly key: string;
  /** The end of the window it was counted in: a refund never reaches a later window. */
  readonly resetAt: number;
}

export type RateLimitDecision =
  | { allowed: true; counted: readonly CountedAttempt[] }
  | { allowed: false; retryAfterSeconds: number; rule: RateLimitRule };

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
    const counted: CountedAttempt[] = [];
    for (const [rule, subject] of checks) {
      const key = this.key(rule, subject);
      const { count, resetAt } = await this.store.hit(key, rule.windowMs, now);
      if (count > rule.limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)), rule };
      }
      counted.push({ rule, key, resetAt });
    }
    return { allowed: true, counted };
  }

  /**
   * Takes back attempts `consume` counted, once their outcome shows they were not what the
   * rule limits (a sign-in that succeeded, for `loginPerIp`). Counting first and refunding
   * after keeps the limit exact under parallel requests; a check that only peeked would let
   * every request in flight through at once.
   */
  async refund(attempts: readonly CountedAttempt[]): Promise<void> {
    for (const attempt of attempts) await this.store.refund(attempt.key, attempt.resetAt);
  }

  /** Forgets a subject's count, e.g. an account's failures after its owner signs in. */
  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.store.reset(this.key(rule, subject));
  }

  private key(rule: RateLimitRule, subject: string): string {
    return `${rule.name}:${hmacHex(this.secret, subject)}`;
  }
}
