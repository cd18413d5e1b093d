import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Kysely's portable schema builder, so SQLite and PostgreSQL share this file. `bigint`
// holds epoch milliseconds (SQLite stores it as INTEGER).

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // SQLite: INTEGER PRIMARY KEY is the rowid itself, stable across VACUUM, so the full-text
  // index can point at it. PostgreSQL: an identity column.
  const itemId = (col: ColumnDefinitionBuilder) =>
    postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();

  await db.schema
    .createTable('feeds')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('url', 'text', (col) => col.notNull().unique())
    .addColumn('title', 'text')
    .addColumn('site_url', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('error_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_fetch_at', 'bigint', (col) => col.notNull())
    .addColumn('not_before', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('feeds_next_fetch_at').on('feeds').column('next_fetch_at').execute();

  await db.schema
    .createTable('folders')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('folders_user_name', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('feed_id', 'text', (col) => col.notNull().references('feeds.id').onDelete('cascade'))
    .addColumn('folder_id', 'text', (col) => col.references('folders.id').onDelete('set null'))
    .addColumn('title', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('subscriptions_user_feed', ['user_id', 'feed_id'])
    .execute();
  await db.schema.createIndex('subscriptions_feed_id').on('subscriptions').column('feed_id').execute();
  await db.schema.createIndex('subscriptions_folder_id').on('subscriptions').column('folder_id').execute();

  await db.schema
    .createTable('items')
    .addColumn('id', postgres ? 'bigint' : 'integer', itemId)
    .addColumn('feed_id', 'text', (col) => col.notNull().references('feeds.id').onDelete('cascade'))
    .addColumn('dedup_key', 'text', (col) => col.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('author', 'text')
    .addColumn('content_html', 'text', (col) => col.notNull())
    .addColumn('snippet', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('published_at', 'bigint', (col) => col.notNull())
    .addColumn('fetched_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('items_feed_dedup_key', ['feed_id', 'dedup_key'])
    .execute();
  // Every list is "newest first" within some feeds, paged by (published_at, id).
  await db.schema.createIndex('items_feed_published').on('items').columns(['feed_id', 'published_at', 'id']).execute();

  await db.schema
    .createTable('item_states')
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('item_id', postgres ? 'bigint' : 'integer', (col) =>
      col.notNull().references('items.id').onDelete('cascade'),
    )
    .addColumn('read', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('starred', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('item_states_pk', ['user_id', 'item_id'])
    .execute();
  await db.schema.createIndex('item_states_item_id').on('item_states').column('item_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_states').execute();
  await db.schema.dropTable('items').execute();
  await db.schema.dropTable('subscriptions').execute();
  await db.schema.dropTable('folders').execute();
  await db.schema.dropTable('feeds').execute();
}
