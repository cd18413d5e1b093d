import type { AccessTokenClaims } from './access-tokens.js';

export interface VerifiedToken {
  claims: AccessTokenClaims;
  /** The key that verified it: once that key leaves the ring, the entry no longer counts. */
  kid: string;
}

/**
 * Access tokens whose signature already checked out, keyed by the exact token string, so a
 * client repeating its token costs a Map lookup instead of a signature verification. Only
 * successes go in; time and audience are re-checked by the caller on every hit. Bounded:
 * the oldest entry leaves first (a Map iterates in insertion order).
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): VerifiedToken | undefined {
    return this.entries.get(token);
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}
