import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { ItemVisibility } from '../../filters/item-visibility.js';
import { inScope, type StreamScope } from './stream-scope.js';
import { visibleItems, visibleItemsById } from './stream-query.js';

/** Read and starred marks to set; a missing one is left as it is. */
export interface Marks {
  read?: boolean;
  starred?: boolean;
}

const CHUNK = 200;

/**
 * Sets marks on items, all or none: if any id names an item the user cannot see (another
 * user's feed, a deleted item), nothing is written and the answer is false. The check and
 * the writes share a transaction, so an unsubscribe racing with it cannot split the batch.
 * These are the rows the web reader reads: a mark here shows there at once, and back.
 */
export async function setMarks(
  db: Kysely<ReaderDatabase>,
  userId: string,
  ids: readonly number[],
  marks: Marks,
  now: number,
): Promise<boolean> {
  const unique = [...new Set(ids)];
  return db.transaction().execute(async (trx) => {
    let visible = 0;
    for (let start = 0; start < unique.length; start += CHUNK) {
      const rows = await visibleItemsById(trx, userId)
        .select('items.id')
        .where('items.id', 'in', unique.slice(start, start + CHUNK))
        .execute();
      visible += rows.length;
    }
    if (visible !== unique.length) return false;
    const update: { read?: number; starred?: number; updated_at: number } = { updated_at: now };
    if (marks.read !== undefined) update.read = marks.read ? 1 : 0;
    if (marks.starred !== undefined) update.starred = marks.starred ? 1 : 0;
    if (update.read === undefined && update.starred === undefined) return true;
    for (let start = 0; start < unique.length; start += CHUNK) {
      await trx
        .insertInto('item_states')
        .values(
          unique.slice(start, start + CHUNK).map((id) => ({
            user_id: userId,
            item_id: id,
            read: update.read ?? 0,
            starred: update.starred ?? 0,
            updated_at: now,
          })),
        )
        // Only the marks asked for change: starring an item must not mark it unread.
        .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet(update))
        .execute();
    }
    return true;
  });
}

/**
 * Marks read every unread item of a stream published at or before `upTo` (ms): what the
 * client had seen when it asked, not what arrived since. One INSERT … SELECT: the items
 * never come into memory, whatever their number. Returns how many were marked.
 */
export async function markStreamRead(
  db: Kysely<ReaderDatabase>,
  userId: string,
  scope: StreamScope,
  upTo: number,
  now: number,
): Promise<number> {
  const visibility = await ItemVisibility.of(db, userId);
  const unread = visibleItems(db, userId)
    .select([
      sql<string>`${userId}`.as('user_id'),
      'items.id as item_id',
      sql<number>`1`.as('read'),
      sql<number>`0`.as('starred'),
      sql<number>`${now}`.as('updated_at'),
    ])
    .where(inScope(scope))
    .where(visibility.shown('items', 's'))
    .where('items.published_at', '<=', upTo)
    .where(sql<SqlBool>`COALESCE(st.read, 0) = 0`);
  const result = await db
    .insertInto('item_states')
    .columns(['user_id', 'item_id', 'read', 'starred', 'updated_at'])
    .expression(unread)
    .onConflict((oc) =>
      oc.columns(['user_id', 'item_id']).doUpdateSet({ read: 1, updated_at: (eb) => eb.ref('excluded.updated_at') }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}
