import pg from 'pg';
import { createClient } from 'redis';
import { BENCH_PG_SCHEMA, BENCH_REDIS_PREFIX, PG_URL, REDIS_URL } from './bench-settings.js';

/**
 * A clean slate for the PostgreSQL + Redis servers: our schema dropped and created empty,
 * our Redis keys deleted. Only ever our own schema and prefix: the database and Redis are
 * shared with other people's tests.
 */
export async function resetScaleOutBackends(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${BENCH_PG_SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${BENCH_PG_SCHEMA}`);
  } finally {
    await client.end();
  }
  await deleteRedisKeys(BENCH_REDIS_PREFIX);
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await redis.del(keys);
    }
  } finally {
    redis.destroy();
  }
}

/** Whether PostgreSQL and Redis answer at all; the rows say why when they do not. */
export async function scaleOutBackendsReachable(): Promise<string | undefined> {
  try {
    await resetScaleOutBackends();
    return undefined;
  } catch (error) {
    return `PostgreSQL or Redis not reachable (${error instanceof Error ? error.message : String(error)})`;
  }
}
