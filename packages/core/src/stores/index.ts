import { ConfigError, type GatehouseConfig } from '../config.js';
import { openSqliteStores } from './sql/index.js';
import type { GatehouseStores } from './types.js';

export type * from './types.js';
export { EmailTakenError } from './types.js';
export { openSqliteStores } from './sql/index.js';

/** Opens the stores the configuration asks for. */
export async function openStores(config: GatehouseConfig): Promise<GatehouseStores> {
  if (config.redisUrl !== undefined) {
    throw new ConfigError('REDIS_URL: Redis support is not in this version yet (see the scale-out issue); unset it');
  }
  if (config.database.kind === 'postgres') {
    throw new ConfigError(
      'DATABASE_URL: PostgreSQL support is not in this version yet (see the scale-out issue); use sqlite:',
    );
  }
  return openSqliteStores(config.database.filename);
}
