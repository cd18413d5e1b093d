import { PostgresAdapter, type Kysely } from 'kysely';

// Fever clients name feeds and groups by positive integers; the reader's are UUIDs. This
// table gives each feed id and folder id a number once, forever: a number never changes and
// is never reused, so a client's cached ids stay right across syncs and new subscriptions.

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('sync_numbers')
    // SQLite: AUTOINCREMENT so a number freed by a deleted row is never handed out again.
    // PostgreSQL: an identity column (sequences never go back). `integer` there so the
    // driver returns a JS number, not a bigint string; two billion feeds and folders is plenty.
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('ref', 'text', (col) => col.notNull())
    .addUniqueConstraint('sync_numbers_kind_ref', ['kind', 'ref'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_numbers').execute();
}
