import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/0001_initial.js';
import * as tokens from './migrations/0002_tokens.js';
import * as accounts from './migrations/0003_accounts.js';
import * as auditAggregation from './migrations/0004_audit_aggregation.js';
import * as secondFactors from './migrations/0005_second_factors.js';
import * as appPasswords from './migrations/0006_app_passwords.js';

/** Migrations are imported, not read from disk, so they work the same from src and dist. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_tokens': tokens,
  '0003_accounts': accounts,
  '0004_audit_aggregation': auditAggregation,
  '0005_second_factors': secondFactors,
  '0006_app_passwords': appPasswords,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

/**
 * `schema`: on PostgreSQL, where the bookkeeping tables live. Named explicitly because
 * Kysely otherwise looks for them in every schema, and would find another deployment's.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`store: migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
