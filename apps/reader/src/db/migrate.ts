import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/0001_reader_initial.js';
import * as searchIndex from './migrations/0002_search_index.js';
import * as syncNumbers from './migrations/0003_sync_numbers.js';
import * as preferences from './migrations/0004_preferences.js';
import * as fullText from './migrations/0005_full_text.js';
import * as filtersTags from './migrations/0006_filters_tags.js';
import * as itemImages from './migrations/0007_item_images.js';

/** Imported, not read from disk, so they run the same from src and dist. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_reader_initial': initial,
  '0002_search_index': searchIndex,
  '0003_sync_numbers': syncNumbers,
  '0004_preferences': preferences,
  '0005_full_text': fullText,
  '0006_filters_tags': filtersTags,
  '0007_item_images': itemImages,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

/**
 * Brings the reader's tables up to date. Its own bookkeeping tables keep its migrations
 * apart from Gatehouse's in the shared database: each set only sees its own history.
 */
export async function migrateReaderDatabase(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'reader_migrations',
    migrationLockTableName: 'reader_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`reader store: migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
