import type { Redis } from 'ioredis';
import type { RateLimitStore } from '../types.js';

/**
 * One fixed-window hit, atomically: Redis runs a script alone, so two instances counting
 * the same key at once can never both read the old count. The window end is kept in the
 * hash and compared with the caller's clock (like the SQL store), and the key also expires
 * in Redis time a little after the window, so abandoned counters clean themselves up.
 * KEYS[1] counter; ARGV now, windowMs. Returns {count, resetAt}.
 */
const HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local resetAt = tonumber(redis.call('HGET', KEYS[1], 'reset_at'))
local count
if resetAt == nil or resetAt <= now then
  resetAt = now + window
  count = 1
  redis.call('HSET', KEYS[1], 'count', 1, 'reset_at', resetAt)
else
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
end
redis.call('PEXPIRE', KEYS[1], window + 60000)
return {count, resetAt}
`;

/**
 * Takes back one hit, atomically, only from the window it was counted in (same reset_at)
 * and never below zero. KEYS[1] counter; ARGV resetAt.
 */
const REFUND = `
local resetAt = redis.call('HGET', KEYS[1], 'reset_at')
if resetAt == false or tonumber(resetAt) ~= tonumber(ARGV[1]) then return 0 end
local count = tonumber(redis.call('HGET', KEYS[1], 'count'))
if count == nil or count <= 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'count', -1)
return 1
`;

/** KEYS counters; ARGV now. Deletes the windows that ended by `now`; returns how many. */
const DELETE_ENDED = `
local deleted = 0
for _, key in ipairs(KEYS) do
  local resetAt = tonumber(redis.call('HGET', key, 'reset_at'))
  if resetAt ~= nil and resetAt <= tonumber(ARGV[1]) then
    deleted = deleted + redis.call('DEL', key)
  end
end
return deleted
`;

/** Rate-limit counters shared by every instance; the keys are already HMACs (see RateLimiter). */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const reply = (await this.redis.eval(HIT, 1, this.key(key), String(now), String(windowMs))) as [unknown, unknown];
    return { count: Number(reply[0]), resetAt: Number(reply[1]) };
  }

  async refund(key: string, resetAt: number): Promise<void> {
    await this.redis.eval(REFUND, 1, this.key(key), String(resetAt));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  /**
   * Redis expires counters by itself, in its own time; this is the same contract as the SQL
   * store, by the caller's clock, for the sweeper.
   */
  async deleteExpired(now: number): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}rate:*`, 'COUNT', 500);
      if (keys.length > 0) deleted += Number(await this.redis.eval(DELETE_ENDED, keys.length, ...keys, String(now)));
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  private key(key: string): string {
    return `${this.prefix}rate:${key}`;
  }
}
