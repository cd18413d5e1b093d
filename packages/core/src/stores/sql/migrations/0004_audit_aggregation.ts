import { sql, type Kysely } from 'kysely';

// Audit aggregation and retention (issue 15): a row may stand for a burst of identical events
// (`count`, from `at` to `last_at`), and the sweeper deletes rows past the retention, by `at`.
// Portable schema builder only; existing rows are single events.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_events')
    .addColumn('count', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_events').addColumn('last_at', 'bigint').execute();
  await sql`update audit_events set last_at = at`.execute(db);
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_events_at').execute();
  await db.schema.alterTable('audit_events').dropColumn('last_at').execute();
  await db.schema.alterTable('audit_events').dropColumn('count').execute();
}
