import { Redis } from 'ioredis';

export interface RedisTarget {
  /** The URL ioredis connects to, without our own `prefix` parameter. */
  url: string;
  /** Starts every key and channel name, so several deployments (or test runs) share one Redis. */
  prefix: string;
}

const DEFAULT_PREFIX = 'gatehouse:';
const PREFIX_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** `redis://host:6379/0?prefix=app1:` → the ioredis URL and the key prefix. */
export function parseRedisUrl(value: string): RedisTarget {
  const url = new URL(value);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error('REDIS_URL: must start with redis:// or rediss://');
  }
  const prefix = url.searchParams.get('prefix') ?? DEFAULT_PREFIX;
  if (!PREFIX_SHAPE.test(prefix)) throw new Error(`REDIS_URL: prefix must match ${String(PREFIX_SHAPE)}`);
  url.searchParams.delete('prefix');
  return { url: url.toString(), prefix };
}

/**
 * A connection that fails fast: with Redis down, a command errors at once (no offline
 * queue, no retries of a sent command) or after `commandTimeoutMs` if Redis hangs, so a
 * request turns into `store_unavailable` instead of waiting. Reconnection goes on forever
 * in the background, so the instance recovers by itself.
 */
export function createRedis(url: string, options: { commandTimeoutMs?: number } = {}): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    autoResubscribe: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
}

/** Connects, or throws a message naming the variable: a required store that is down stops the start. */
export async function connectRedis(redis: Redis): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error('REDIS_URL: cannot connect to Redis', { cause: error });
  }
}
