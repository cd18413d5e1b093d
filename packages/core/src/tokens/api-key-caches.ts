import type { ApiKeyRecord } from '../stores/types.js';

// The two in-process caches of ApiKeys: keys that verified, and keys that were refused.

export interface CachedKey {
  /** Its lastUsedAt is the last write attempted, so a failing store is not retried on every request. */
  record: ApiKeyRecord;
}

/**
 * Verified keys by SHA-256 of the whole key, bounded, oldest out (a Map iterates in
 * insertion order). `evictions` counts evictions so a lookup that raced a revocation
 * does not put the revoked key back.
 */
export class VerifiedKeyCache {
  private readonly byHash = new Map<string, CachedKey>();
  private readonly hashById = new Map<string, string>();
  evictions = 0;

  constructor(private readonly maxEntries: number) {}

  get(hash: string): CachedKey | undefined {
    return this.byHash.get(hash);
  }

  set(hash: string, entry: CachedKey): void {
    this.byHash.delete(hash);
    this.byHash.set(hash, entry);
    this.hashById.set(entry.record.id, hash);
    while (this.byHash.size > this.maxEntries) {
      const oldest = this.byHash.entries().next();
      if (oldest.done === true) break;
      const [oldestHash, oldestEntry] = oldest.value;
      this.byHash.delete(oldestHash);
      this.hashById.delete(oldestEntry.record.id);
    }
  }

  clear(): void {
    this.evictions += 1;
    this.byHash.clear();
    this.hashById.clear();
  }

  evict(id: string): void {
    this.evictions += 1;
    const hash = this.hashById.get(id);
    if (hash === undefined) return;
    this.hashById.delete(id);
    this.byHash.delete(hash);
  }
}

/** Why a well-formed key was refused, in the states that can never change for that exact key. */
export type FinalKeyRejection = 'unknown' | 'revoked' | 'expired';

interface Rejection {
  reason: FinalKeyRejection;
  /** The store is asked again from then on: it stays the truth. */
  until: number;
}

/**
 * Well-formed API keys the store refused, by SHA-256 of the whole presented key, so a
 * flood of the same bad key (a leaked and revoked key retried by a bot, a scanner
 * replaying one guess) costs one store read per TTL instead of one per request.
 *
 * Safe to answer from because every reason is final for that exact string: a key's secret
 * is 256 random bits drawn when it is created, so a string that was unknown can only become
 * a valid key if a later key draws the same id and secret (never, in practice); revocation
 * and expiry are never undone. A missed push message therefore cannot make an entry wrong,
 * and unlike the verified-key cache this one is used even while the push channel is down.
 *
 * Bounded: at most `maxEntries`, oldest out. A flood of distinct keys costs a read each
 * (nothing can avoid that) and keeps only the newest `maxEntries` of them in memory.
 */
export class RejectedKeyCache {
  private readonly byHash = new Map<string, Rejection>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(hash: string, now: number): FinalKeyRejection | undefined {
    const entry = this.byHash.get(hash);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.byHash.delete(hash);
      return undefined;
    }
    return entry.reason;
  }

  set(hash: string, reason: FinalKeyRejection, now: number): void {
    if (this.maxEntries === 0 || this.ttlMs === 0) return;
    // Re-inserted at the end: a Map iterates in insertion order, so the first is the oldest.
    this.byHash.delete(hash);
    this.byHash.set(hash, { reason, until: now + this.ttlMs });
    while (this.byHash.size > this.maxEntries) {
      const oldest = this.byHash.keys().next();
      if (oldest.done === true) break;
      this.byHash.delete(oldest.value);
    }
  }

  clear(): void {
    this.byHash.clear();
  }
}
