import { PostgresAdapter, type Kysely } from 'kysely';
import { createSearchIndex, dropSearchIndex } from '../search-index.js';

// SQLite's FTS5 index. On PostgreSQL this is a no-op until the scale-out issue brings
// its own full-text search.

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await createSearchIndex(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await dropSearchIndex(db);
}
