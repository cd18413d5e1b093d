import { PostgresAdapter, type Kysely } from 'kysely';

// Full text (fulltext/): a switch per subscription, and the article extracted from each
// item's page. Items are shared by every subscriber of a feed, so an article is fetched and
// kept once per item, whoever asked. A failure is kept too (content_html null), so neither
// the background extraction nor a user's button fetches a broken page again and again.

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable('subscriptions')
    .addColumn('full_text', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('item_full_texts')
    .addColumn('item_id', postgres ? 'bigint' : 'integer', (col) =>
      col.primaryKey().references('items.id').onDelete('cascade'),
    )
    // The item's link when it was fetched: an item whose link changed is fetched afresh.
    .addColumn('url', 'text', (col) => col.notNull())
    // Sanitized when stored (and again on the way out, like items.content_html).
    .addColumn('content_html', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('fetched_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_full_texts').execute();
  await db.schema.alterTable('subscriptions').dropColumn('full_text').execute();
}
