import { PostgresAdapter, type Kysely } from 'kysely';

// Filter rules and tags (filters/, tags/): both belong to one user, like folders.
//
// filter_rules: what a user asked for. `keywords` and `fields` are JSON arrays of text.
// filter_hits: which items a hide or keep-only rule matches, kept up to date at ingest and
// computed once when a rule is made or changed, so a list is one indexed look-up per item,
// never a text scan. filter_coverage says for which subscriptions a rule's hits are there
// (`complete` = 0 while they are being computed); a subscription made after the rule has
// none yet, and the next read computes it (filters/rule-coverage.ts).
// tags / item_tags: the user's labels; `name_key` is the name folded for comparison, so
// "Rust" and "rust" are one tag.

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const itemId = postgres ? 'bigint' : 'integer';

  await db.schema
    .createTable('filter_rules')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull())
    // null: every subscription of the user.
    .addColumn('subscription_id', 'text', (col) => col.references('subscriptions.id').onDelete('cascade'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('fields', 'text', (col) => col.notNull())
    .addColumn('keywords', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('filter_rules_user').on('filter_rules').column('user_id').execute();
  await db.schema.createIndex('filter_rules_subscription').on('filter_rules').column('subscription_id').execute();

  await db.schema
    .createTable('filter_hits')
    .addColumn('rule_id', 'text', (col) => col.notNull().references('filter_rules.id').onDelete('cascade'))
    .addColumn('item_id', itemId, (col) => col.notNull().references('items.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('filter_hits_pk', ['rule_id', 'item_id'])
    .execute();
  await db.schema.createIndex('filter_hits_item').on('filter_hits').column('item_id').execute();

  await db.schema
    .createTable('filter_coverage')
    .addColumn('rule_id', 'text', (col) => col.notNull().references('filter_rules.id').onDelete('cascade'))
    .addColumn('subscription_id', 'text', (col) => col.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('complete', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('filter_coverage_pk', ['rule_id', 'subscription_id'])
    .execute();
  await db.schema.createIndex('filter_coverage_subscription').on('filter_coverage').column('subscription_id').execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('name_key', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('tags_user_name_key', ['user_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('item_tags')
    .addColumn('tag_id', 'text', (col) => col.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('item_id', itemId, (col) => col.notNull().references('items.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('item_tags_pk', ['tag_id', 'item_id'])
    .execute();
  await db.schema.createIndex('item_tags_user_item').on('item_tags').columns(['user_id', 'item_id']).execute();
  await db.schema.createIndex('item_tags_item').on('item_tags').column('item_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_tags').execute();
  await db.schema.dropTable('tags').execute();
  await db.schema.dropTable('filter_coverage').execute();
  await db.schema.dropTable('filter_hits').execute();
  await db.schema.dropTable('filter_rules').execute();
}
