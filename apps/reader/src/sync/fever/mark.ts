import { sql, type Kysely } from 'kysely';
import type { ItemStore } from '../../db/item-store.js';
import type { ReaderDatabase } from '../../db/schema.js';
import type { FeverMark } from './fever-command.js';
import type { SyncNumbers } from './sync-numbers.js';

export type MarkResult = { ok: true } | { ok: false; error: string };

export interface FeverMarker {
  db: Kysely<ReaderDatabase>;
  items: ItemStore;
  numbers: SyncNumbers;
}

/**
 * Applies a Fever mark for one user. Marks land in `item_states`, the rows the web reader
 * reads, so the two agree at once. A number that is not one of the user's items, feeds or
 * folders changes nothing and says so: a mark never reaches another user's data, and a
 * client is not told "done" for something that did not happen.
 */
export async function applyMark(
  marker: FeverMarker,
  userId: string,
  mark: FeverMark,
  now: number,
): Promise<MarkResult> {
  if (mark.target === 'item') {
    const marks = ITEM_MARKS[mark.as];
    const found = await marker.items.setState(userId, mark.id, marks, now);
    return found ? { ok: true } : { ok: false, error: 'no such item' };
  }
  // `before` is when the client last fetched items: what arrived since, it has not shown.
  const upTo = mark.before === undefined ? now : mark.before * 1000;
  if (mark.target === 'feed') {
    const feedId = await marker.numbers.refOf('feed', mark.id);
    if (feedId === undefined || !(await subscribes(marker.db, userId, feedId))) {
      return { ok: false, error: 'no such feed' };
    }
    await markRead(marker.db, userId, { feedId }, upTo, now);
    return { ok: true };
  }
  // Group 0 is Fever's "Kindling": every feed.
  if (mark.id === 0) {
    await markRead(marker.db, userId, {}, upTo, now);
    return { ok: true };
  }
  const folderId = await marker.numbers.refOf('folder', mark.id);
  if (folderId === undefined || !(await ownsFolder(marker.db, userId, folderId))) {
    return { ok: false, error: 'no such group' };
  }
  await markRead(marker.db, userId, { folderId }, upTo, now);
  return { ok: true };
}

const ITEM_MARKS = {
  read: { read: true },
  unread: { read: false },
  saved: { starred: true },
  unsaved: { starred: false },
} as const;

async function subscribes(db: Kysely<ReaderDatabase>, userId: string, feedId: string): Promise<boolean> {
  const row = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('user_id', '=', userId)
    .where('feed_id', '=', feedId)
    .executeTakeFirst();
  return row !== undefined;
}

async function ownsFolder(db: Kysely<ReaderDatabase>, userId: string, folderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('folders')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', '=', folderId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks read, in one statement, every unread item of the user's feeds (or of one feed, or
 * of one folder's feeds) that arrived at or before `upTo`. Arrival (fetched_at), not
 * publication: `before` is when the client last synced, and an item fetched after that,
 * whatever date it carries, is one the user has not seen. One INSERT … SELECT … ON CONFLICT
 * rather than a row at a time: "mark all read" on 100,000 items is one round trip.
 */
async function markRead(
  db: Kysely<ReaderDatabase>,
  userId: string,
  scope: { feedId?: string; folderId?: string },
  upTo: number,
  now: number,
): Promise<void> {
  let feeds = db.selectFrom('subscriptions').select('feed_id').where('user_id', '=', userId);
  if (scope.feedId !== undefined) feeds = feeds.where('feed_id', '=', scope.feedId);
  if (scope.folderId !== undefined) feeds = feeds.where('folder_id', '=', scope.folderId);
  // Parameters in a SELECT list have no type on PostgreSQL: the casts give them one.
  const user = sql<string>`CAST(${userId} AS text)`;
  const time = sql<number>`CAST(${now} AS bigint)`;
  await db
    .insertInto('item_states')
    .columns(['user_id', 'item_id', 'read', 'starred', 'updated_at'])
    .expression((eb) =>
      eb
        .selectFrom('items')
        .leftJoin('item_states as st', (join) =>
          join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId),
        )
        .select([
          user.as('user_id'),
          'items.id',
          sql<number>`1`.as('read'),
          sql<number>`COALESCE(st.starred, 0)`.as('starred'),
          time.as('updated_at'),
        ])
        .where('items.feed_id', 'in', feeds)
        .where('items.fetched_at', '<=', upTo)
        .where(sql<boolean>`COALESCE(st.read, 0) = 0`),
    )
    .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet({ read: 1, updated_at: now }))
    .execute();
}
