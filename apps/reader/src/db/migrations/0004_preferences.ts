import type { Kysely } from 'kysely';

// One row per user who changed a reading preference. A column per preference, each null
// until the user picks a value, so a default that changes later reaches everyone who never
// chose, and a PATCH is one upsert of the columns it names (two tabs changing different
// preferences at once never undo each other). A new preference is a new nullable column.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('preferences')
    .addColumn('user_id', 'text', (col) => col.primaryKey())
    .addColumn('language', 'text')
    .addColumn('theme', 'text')
    .addColumn('font_size', 'text')
    .addColumn('line_width', 'text')
    .addColumn('mark_read_on_scroll', 'integer')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('preferences').execute();
}
