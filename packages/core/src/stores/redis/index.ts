import { RedisPushChannel } from '../../redis-push-channel.js';
import type { GatehouseStores } from '../types.js';
import { connectRedis, createRedis, parseRedisUrl } from './connection.js';
import { RedisRateLimitStore } from './rate-limit-store.js';
import { RedisSessionCacheStore } from './session-cache-store.js';

export interface RedisStoreOptions {
  /** Background connection trouble (logged by the caller; requests see `store_unavailable`). */
  onError?: (error: unknown) => void;
}

/**
 * Puts Redis in front of the SQL stores: the shared session cache, rate-limit counters
 * shared by every instance, and the push channel that carries revocations. Everything
 * durable (users, sessions, token families, the denylist) stays in SQL: Redis may lose its
 * data on a restart and nothing acknowledged is lost with it.
 */
export async function withRedis(
  sql: GatehouseStores,
  redisUrl: string,
  options: RedisStoreOptions = {},
): Promise<GatehouseStores> {
  const target = parseRedisUrl(redisUrl);
  const publisher = createRedis(target.url);
  const subscriber = createRedis(target.url);
  const onError = (error: unknown) => options.onError?.(error);
  // Without listeners ioredis prints every reconnection failure to stderr.
  publisher.on('error', onError);
  subscriber.on('error', onError);
  try {
    await Promise.all([connectRedis(publisher), connectRedis(subscriber)]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }

  const push = new RedisPushChannel({ publisher, subscriber, channel: `${target.prefix}revocations`, onError });
  const sessions = new RedisSessionCacheStore(sql.sessions, {
    redis: publisher,
    prefix: target.prefix,
    isLive: () => push.live,
    onEvictionFailed: () => {
      push.reportMissed();
    },
  });
  // Evictions may have been lost while the channel was down: start the shared cache over.
  push.listen({ onMessage: () => undefined, onResync: () => sessions.flush() });

  return {
    ...sql,
    sessions,
    rateLimits: new RedisRateLimitStore(publisher, target.prefix),
    push,
    async close() {
      await push.close();
      // quit() lets replies in flight arrive; disconnect() if Redis is gone and quit cannot.
      await Promise.all(
        [publisher, subscriber].map((redis) =>
          redis.quit().catch(() => {
            redis.disconnect();
          }),
        ),
      );
      await sql.close();
    },
  };
}
