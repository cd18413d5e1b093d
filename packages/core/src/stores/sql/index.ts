import type { Kysely } from 'kysely';
import type { GatehouseStores } from '../types.js';
import { SqlApiKeyStore } from './api-key-store.js';
import { SqlAuditStore } from './audit-store.js';
import { openSqliteDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { SqlRateLimitStore } from './rate-limit-store.js';
import { SqlRevocationStore } from './revocation-store.js';
import type { Database } from './schema.js';
import { SqlServiceClientStore } from './service-client-store.js';
import { SqlSessionStore } from './session-store.js';
import { SqlSigningKeyStore } from './signing-key-store.js';
import { SqlTokenFamilyStore } from './token-family-store.js';
import { SqlUserStore } from './user-store.js';

export function sqlStores(db: Kysely<Database>): GatehouseStores {
  return {
    users: new SqlUserStore(db),
    sessions: new SqlSessionStore(db),
    rateLimits: new SqlRateLimitStore(db),
    audit: new SqlAuditStore(db),
    signingKeys: new SqlSigningKeyStore(db),
    tokenFamilies: new SqlTokenFamilyStore(db),
    revocations: new SqlRevocationStore(db),
    apiKeys: new SqlApiKeyStore(db),
    serviceClients: new SqlServiceClientStore(db),
    close: () => db.destroy(),
  };
}

/** The embedded default: a SQLite file, migrated to the latest schema before first use. */
export async function openSqliteStores(filename: string): Promise<GatehouseStores> {
  const db = openSqliteDatabase(filename);
  await migrateToLatest(db as Kysely<unknown>);
  return sqlStores(db);
}
