import type { Kysely } from 'kysely';

// The picture an item's row shows in the list (feeds/item-image.ts): an absolute http(s)
// URL as the feed gave it, or null. Items stored before this have none until the feed
// changes them.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('items').addColumn('image_url', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('items').dropColumn('image_url').execute();
}
