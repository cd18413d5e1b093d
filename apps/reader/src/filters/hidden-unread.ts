import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ReaderDatabase } from '../db/schema.js';
import type { ItemVisibility } from './item-visibility.js';

/**
 * Unread items the user's filter rules hide, per feed: what a count made without looking
 * at the rules (total minus read, as the Google Reader API's is) must take away to agree
 * with the lists. Empty, and no query, for a user whose rules hide nothing.
 */
export async function hiddenUnreadPerFeed(
  db: Kysely<ReaderDatabase>,
  userId: string,
  visibility: ItemVisibility,
): Promise<Map<string, number>> {
  if (visibility.showsAll) return new Map();
  const rows = await db
    .selectFrom('items')
    .innerJoin('subscriptions as s', (join) =>
      join.onRef('s.feed_id', '=', 'items.feed_id').on('s.user_id', '=', userId),
    )
    .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId))
    .select(['items.feed_id', sql<number | string>`COUNT(*)`.as('hidden')])
    .where(sql<SqlBool>`COALESCE(st.read, 0) = 0`)
    .where(sql<SqlBool>`NOT ${visibility.shown('items', 's')}`)
    .groupBy('items.feed_id')
    .execute();
  return new Map(rows.map((row) => [row.feed_id, Number(row.hidden)]));
}
