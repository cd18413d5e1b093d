import type { Redis } from 'ioredis';
import { z } from 'zod';
import { storeUnavailable } from '../outage.js';
import type { SessionRecord, SessionStore } from '../types.js';

/**
 * Entries are re-read from SQL at least this often, which also bounds how long an entry
 * could outlive an eviction that never reached Redis.
 */
const ENTRY_TTL_MS = 10 * 60_000;
/** Longer than any fill can take between reading SQL and writing here (see FILL). */
const TOMBSTONE_TTL_MS = ENTRY_TTL_MS;

// Cache entry `session:<tokenHash>` (the record as JSON); `session-id:<id>` names the entry
// key, so an eviction by session id finds it; `session-ended:<id>` is a tombstone.
//
// The race a tombstone closes: instance A misses, reads the session from SQL; B deletes it
// and evicts; A writes what it read. FILL refuses to write once the tombstone exists, and
// END writes the tombstone before deleting, so whichever order they run in, no entry for
// an ended session survives. Scripts run alone in Redis, so each is atomic.
// Entry keys are built from data inside the scripts: this needs a single Redis or Valkey
// (or one shard), not Redis Cluster.

/** KEYS entry, index, tombstone; ARGV json, ttl. */
const FILL = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], KEYS[1], 'PX', ARGV[2])
return 1
`;

/** KEYS index1, tombstone1, index2, tombstone2, …; ARGV tombstone ttl. */
const END = `
for i = 1, #KEYS, 2 do
  redis.call('SET', KEYS[i + 1], '1', 'PX', ARGV[1])
  local entry = redis.call('GET', KEYS[i])
  if entry then redis.call('DEL', entry, KEYS[i]) end
end
return 0
`;

/** KEYS index. A touched session is re-read from SQL next time, with its new lastSeenAt. */
const FORGET = `
local entry = redis.call('GET', KEYS[1])
if entry then redis.call('DEL', entry, KEYS[1]) end
return 0
`;

export interface RedisSessionCacheOptions {
  redis: Redis;
  prefix: string;
  /** False while the push channel may have missed something: then SQL answers everything. */
  isLive: () => boolean;
  /** An eviction did not reach Redis: every instance must flush once Redis is back. */
  onEvictionFailed: () => void;
}

/**
 * The session cache all instances share, in front of the SQL session store: an instance
 * that has not seen a session yet finds it here instead of in PostgreSQL. SQL stays the
 * truth: it is written first, and read whenever the push channel is not live or Redis
 * does not answer. An ended session is evicted here before the caller acknowledges it.
 */
export class RedisSessionCacheStore implements SessionStore {
  constructor(
    private readonly sql: SessionStore,
    private readonly options: RedisSessionCacheOptions,
  ) {}

  create(session: SessionRecord): Promise<void> {
    return this.sql.create(session);
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined> {
    if (!this.options.isLive()) return this.sql.findByTokenHash(tokenHash);
    const { redis } = this.options;
    const entryKey = this.key('session', tokenHash);
    let cached: string | null;
    try {
      cached = await redis.get(entryKey);
    } catch {
      return this.sql.findByTokenHash(tokenHash);
    }
    const parsed = cached === null ? undefined : parseSession(cached, tokenHash);
    if (parsed !== undefined) return parsed;

    const session = await this.sql.findByTokenHash(tokenHash);
    if (session === undefined) return undefined;
    try {
      await redis.eval(
        FILL,
        3,
        entryKey,
        this.key('session-id', session.id),
        this.key('session-ended', session.id),
        JSON.stringify(session),
        String(ENTRY_TTL_MS),
      );
    } catch {
      // Only a cache fill: the answer came from SQL and stands.
    }
    return session;
  }

  listForUser(userId: string): Promise<SessionRecord[]> {
    return this.sql.listForUser(userId);
  }

  async touch(sessionId: string, lastSeenAt: number): Promise<void> {
    await this.sql.touch(sessionId, lastSeenAt);
    try {
      await this.options.redis.eval(FORGET, 1, this.key('session-id', sessionId));
    } catch {
      // A stale lastSeenAt only makes another instance touch sooner; it grants nothing.
    }
  }

  async deleteForUser(userId: string, sessionId: string): Promise<boolean> {
    const deleted = await this.sql.deleteForUser(userId, sessionId);
    // Evict even when nothing was deleted: another instance may have deleted it and failed to evict.
    await this.evict([sessionId]);
    return deleted;
  }

  async deleteAllForUser(userId: string, keepSessionId?: string): Promise<string[]> {
    const deleted = await this.sql.deleteAllForUser(userId, keepSessionId);
    await this.evict(deleted);
    return deleted;
  }

  deleteExpired(now: number, idleTimeoutMs: number): Promise<number> {
    // Cached entries of expired sessions are refused by the caller's expiry check and age out.
    return this.sql.deleteExpired(now, idleTimeoutMs);
  }

  /** Empties the shared cache: after an outage, when evictions may have been lost. */
  async flush(): Promise<void> {
    const { redis, prefix } = this.options;
    for (const pattern of [`${prefix}session:*`, `${prefix}session-id:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  }

  private async evict(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const keys = sessionIds.flatMap((id) => [this.key('session-id', id), this.key('session-ended', id)]);
    try {
      await this.options.redis.eval(END, keys.length, ...keys, String(TOMBSTONE_TTL_MS));
    } catch (error) {
      // The SQL delete stands; the client is told to retry rather than that it worked,
      // since other instances could still find the session here.
      this.options.onEvictionFailed();
      throw storeUnavailable(error);
    }
  }

  private key(kind: string, id: string): string {
    return `${this.options.prefix}${kind}:${id}`;
  }
}

/** Our own JSON, but checked: a damaged or foreign value is a miss, never a session. */
const CachedSessionRecord = z.object({
  id: z.string(),
  userId: z.string(),
  tokenHash: z.string(),
  csrfSecret: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  absoluteExpiresAt: z.number(),
  persistent: z.boolean(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

function parseSession(json: string, tokenHash: string): SessionRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = CachedSessionRecord.safeParse(value);
  return parsed.success && parsed.data.tokenHash === tokenHash ? parsed.data : undefined;
}
