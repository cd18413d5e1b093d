import { sql, type Kysely } from 'kysely';
import { isStoreOutage } from '../outage.js';
import type { GatehouseStores } from '../types.js';
import { SqlApiKeyStore } from './api-key-store.js';
import { SqlAppPasswordStore } from './app-password-store.js';
import { transactionScoped } from './atomic.js';
import { SqlAuditStore } from './audit-store.js';
import { openSqliteDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openPostgresDatabase, type PostgresOptions } from './postgres-database.js';
import { SqlRateLimitStore } from './rate-limit-store.js';
import { SqlRevocationStore } from './revocation-store.js';
import type { Database } from './schema.js';
import { SqlServiceClientStore } from './service-client-store.js';
import { SqlSessionStore } from './session-store.js';
import { SqlSigningKeyStore } from './signing-key-store.js';
import { SqlTokenFamilyStore } from './token-family-store.js';
import { SqlUserStore } from './user-store.js';
import { SqlKnownDeviceStore } from './known-device-store.js';
import { SqlMailOutboxStore } from './mail-outbox-store.js';
import { SqlOneTimeTokenStore } from './one-time-token-store.js';
import { SqlStepUpStore } from './step-up-store.js';
import { SqlPasskeyStore } from './passkey-store.js';
import { SqlPendingSignInStore } from './pending-sign-in-store.js';
import { SqlRecoveryCodeStore } from './recovery-code-store.js';
import { SqlTotpStore } from './totp-store.js';
import { SqlWebAuthnChallengeStore } from './webauthn-challenge-store.js';

export function sqlStores(database: Kysely<Database>): GatehouseStores {
  const { db, atomically } = transactionScoped(database);
  return {
    users: new SqlUserStore(db),
    sessions: new SqlSessionStore(db),
    rateLimits: new SqlRateLimitStore(db),
    audit: new SqlAuditStore(db),
    signingKeys: new SqlSigningKeyStore(db),
    tokenFamilies: new SqlTokenFamilyStore(db),
    revocations: new SqlRevocationStore(db),
    apiKeys: new SqlApiKeyStore(db),
    appPasswords: new SqlAppPasswordStore(db),
    serviceClients: new SqlServiceClientStore(db),
    oneTimeTokens: new SqlOneTimeTokenStore(db),
    stepUps: new SqlStepUpStore(db),
    knownDevices: new SqlKnownDeviceStore(db),
    mailOutbox: new SqlMailOutboxStore(db),
    totp: new SqlTotpStore(db),
    recoveryCodes: new SqlRecoveryCodeStore(db),
    passkeys: new SqlPasskeyStore(db),
    pendingSignIns: new SqlPendingSignInStore(db),
    webauthnChallenges: new SqlWebAuthnChallengeStore(db),
    database: db as Kysely<unknown>,
    atomically,
    close: () => database.destroy(),
  };
}

/** The embedded default: a SQLite file, migrated to the latest schema before first use. */
export async function openSqliteStores(filename: string): Promise<GatehouseStores> {
  const db = openSqliteDatabase(filename);
  await migrateToLatest(db as Kysely<unknown>);
  return sqlStores(db);
}

/**
 * PostgreSQL through a connection pool: the same stores and migrations as SQLite. Several
 * instances may start at once; the migrator serialises them with a lock in the database.
 */
export async function openPostgresStores(url: string, options: PostgresOptions = {}): Promise<GatehouseStores> {
  const db = openPostgresDatabase(url, options);
  try {
    let schema: string;
    try {
      schema = await targetSchema(db);
    } catch (error) {
      // A required store that is down stops the start, with the variable to look at.
      if (isStoreOutage(error)) throw new Error('DATABASE_URL: cannot connect to PostgreSQL', { cause: error });
      throw error;
    }
    await migrateWhileOthersComeAndGo(db as Kysely<unknown>, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return sqlStores(db);
}

/** PostgreSQL's "schema does not exist" and "relation does not exist". */
const VANISHED_WHILE_LISTED: ReadonlySet<unknown> = new Set(['3F000', '42P01']);

/**
 * The migrator lists the tables of every schema it can see to find its own bookkeeping table.
 * When another deployment's schema or table is dropped during that scan (tests drop theirs
 * all the time; so may a shared server's other tenants), PostgreSQL fails the scan with "schema
 * (or relation) does not exist" although ours is fine (`targetSchema` checked it). That is
 * retried; any other failure is not.
 */
async function migrateWhileOthersComeAndGo(db: Kysely<unknown>, schema: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await migrateToLatest(db, schema);
      return;
    } catch (error) {
      const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
      if (!VANISHED_WHILE_LISTED.has(cause?.code) || attempt >= attempts) throw error;
    }
  }
}

/**
 * The schema the tables go in: the first of the connection's search_path. One that does not
 * exist would silently put them in the next one (usually `public`), so that is refused.
 */
async function targetSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null; path: string }>`
    select current_schema() as schema, current_setting('search_path') as path`.execute(db);
  const { schema, path } = rows[0] ?? { schema: null, path: '' };
  const first =
    path
      .split(',')[0]
      ?.trim()
      .replace(/^"(.*)"$/, '$1') ?? '';
  const wanted = first === '"$user"' || first === '$user' ? schema : first;
  if (schema === null || wanted !== schema) {
    throw new Error(`DATABASE_URL: schema ${wanted ?? first} does not exist in the database (create it first)`);
  }
  return schema;
}
