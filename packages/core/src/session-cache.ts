import type { SessionRecord, UserRecord } from './stores/types.js';

export interface CachedSession {
  session: SessionRecord;
  user: UserRecord;
}

/**
 * Bounded in-process cache of validated sessions, keyed by token hash, so the common
 * request does not touch the store. Entries are dropped the moment a session is revoked
 * in this process; expiry is re-checked on every read by the caller. Oldest entries go
 * first when full (a Map iterates in insertion order).
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  /**
   * Counts evictions, so a load that read the store before a revocation landed (here or,
   * pushed, from another instance) does not put the revoked session back.
   */
  evictions = 0;

  constructor(private readonly maxEntries: number) {}

  get(tokenHash: string): CachedSession | undefined {
    return this.entries.get(tokenHash);
  }

  set(tokenHash: string, entry: CachedSession): void {
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** Drops sessions by id, or every session of a user; revocation is rare, a scan is fine. */
  evict(match: { sessionIds?: readonly string[]; userId?: string }): void {
    this.evictions += 1;
    const ids = new Set(match.sessionIds ?? []);
    for (const [hash, entry] of this.entries) {
      if (ids.has(entry.session.id) || entry.session.userId === match.userId) this.entries.delete(hash);
    }
  }

  /** Forgets everything: after the push channel was down and evictions may have been missed. */
  clear(): void {
    this.evictions += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
