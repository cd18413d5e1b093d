import type { GatehouseConfig } from '../config.js';
import { LocalPushChannel } from '../push-channel.js';
import { reportStoreOutages } from './outage.js';
import { withRedis, type RedisStoreOptions } from './redis/index.js';
import { openPostgresStores, openSqliteStores } from './sql/index.js';
import type { GatehouseStores } from './types.js';

export type * from './types.js';
export { EmailTakenError } from './types.js';
export { openPostgresStores, openSqliteStores } from './sql/index.js';
export { withRedis } from './redis/index.js';
export { isStoreOutage, reportStoreOutages } from './outage.js';

export interface OpenStoresOptions extends RedisStoreOptions {
  /** PostgreSQL connections per instance. Default 10. */
  poolSize?: number;
}

/**
 * Opens the stores the configuration asks for: SQLite or PostgreSQL (DATABASE_URL), with
 * Redis in front when REDIS_URL is set. PostgreSQL without Redis trusts no in-process cache
 * (another instance may share the database). A store that is configured but unreachable
 * stops the start with an error. An outage later turns requests into `store_unavailable`.
 */
export async function openStores(config: GatehouseConfig, options: OpenStoresOptions = {}): Promise<GatehouseStores> {
  const sql =
    config.database.kind === 'postgres'
      ? await openPostgresStores(config.database.url, {
          ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
          ...(options.onError === undefined ? {} : { onIdleError: options.onError }),
        })
      : await openSqliteStores(config.database.filename);
  if (config.redisUrl === undefined) {
    // Without Redis, other instances on the same PostgreSQL could revoke what this one caches.
    if (config.database.kind === 'postgres') sql.push = LocalPushChannel.sharedDatabase();
    return reportStoreOutages(sql);
  }
  try {
    return reportStoreOutages(await withRedis(sql, config.redisUrl, options));
  } catch (error) {
    await sql.close();
    throw error;
  }
}
