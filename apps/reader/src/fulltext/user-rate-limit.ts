import type { Clock } from '@gatehouse/core';

export interface UserRateRule {
  limit: number;
  windowMs: number;
}

/** Windows kept at most; past this, ended ones are swept before a new one is opened. */
const MAX_TRACKED_USERS = 10_000;

/**
 * A fixed window per user, in this process. What it stops is one account making the server
 * fetch pages for it as fast as it can ask (the reader as a crawler or flooder of someone
 * else's site); it is not an authentication limit, so a count lost on restart or kept per
 * instance is acceptable, and Gatehouse's store-backed limiter (not a public API) is not
 * needed.
 */
export class UserRateLimit {
  private readonly windows = new Map<string, { endsAt: number; count: number }>();

  constructor(
    private readonly rule: UserRateRule,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt; 0 if allowed, else the seconds until the user's window ends. */
  take(userId: string): number {
    const now = this.clock();
    let window = this.windows.get(userId);
    if (window === undefined || window.endsAt <= now) {
      if (this.windows.size >= MAX_TRACKED_USERS) this.sweep(now);
      window = { endsAt: now + this.rule.windowMs, count: 0 };
      this.windows.set(userId, window);
    }
    if (window.count >= this.rule.limit) return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    window.count += 1;
    return 0;
  }

  private sweep(now: number): void {
    for (const [userId, window] of this.windows) if (window.endsAt <= now) this.windows.delete(userId);
  }
}
