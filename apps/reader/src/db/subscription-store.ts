import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { ItemVisibility } from '../filters/item-visibility.js';
import type { ReaderDatabase } from './schema.js';

/** A user's subscription joined with the shared feed it reads. */
export interface SubscriptionRecord {
  id: string;
  feedId: string;
  /** The user's own title, else the feed's, else its URL. */
  title: string;
  customTitle: string | null;
  feedUrl: string;
  siteUrl: string | null;
  folderId: string | null;
  unreadCount: number;
  lastFetchedAt: number | null;
  lastError: string | null;
  nextFetchAt: number | null;
  /** New items get their linked page's article extracted (fulltext/). */
  fullText: boolean;
}

/** A user's subscriptions. Every method takes the user id first and filters on it. */
export class SubscriptionStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async list(userId: string): Promise<SubscriptionRecord[]> {
    return this.select(userId, await ItemVisibility.of(this.db, userId))
      .execute()
      .then((rows) => rows.map(toRecord));
  }

  async find(userId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.select(userId, await ItemVisibility.of(this.db, userId))
      .where('s.id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async findByFeed(userId: string, feedId: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.select(userId, await ItemVisibility.of(this.db, userId))
      .where('s.feed_id', '=', feedId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Subscribes, or leaves the existing subscription as it is; returns its id. */
  async create(
    userId: string,
    subscription: { feedId: string; folderId: string | null; title: string | null },
    now: number,
  ): Promise<{ id: string; created: boolean }> {
    const result = await this.db
      .insertInto('subscriptions')
      .values({
        id: randomUUID(),
        user_id: userId,
        feed_id: subscription.feedId,
        folder_id: subscription.folderId,
        title: subscription.title,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['user_id', 'feed_id']).doNothing())
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('subscriptions')
      .select('id')
      .where('user_id', '=', userId)
      .where('feed_id', '=', subscription.feedId)
      .executeTakeFirstOrThrow();
    return { id: row.id, created: (result.numInsertedOrUpdatedRows ?? 0n) > 0n };
  }

  async update(
    userId: string,
    id: string,
    changes: { title?: string | null; folderId?: string | null; fullText?: boolean | undefined },
  ): Promise<boolean> {
    const set: { title?: string | null; folder_id?: string | null; full_text?: number } = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.folderId !== undefined) set.folder_id = changes.folderId;
    if (changes.fullText !== undefined) set.full_text = changes.fullText ? 1 : 0;
    if (Object.keys(set).length === 0) return (await this.find(userId, id)) !== undefined;
    const result = await this.db
      .updateTable('subscriptions')
      .set(set)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Unsubscribes, and forgets the user's read and starred marks on the feed's items. */
  async delete(userId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('subscriptions')
        .select('feed_id')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return false;
      await trx
        .deleteFrom('item_states')
        .where('user_id', '=', userId)
        .where('item_id', 'in', (eb) =>
          eb.selectFrom('items').select('items.id').where('items.feed_id', '=', row.feed_id),
        )
        .execute();
      await trx.deleteFrom('subscriptions').where('user_id', '=', userId).where('id', '=', id).execute();
      return true;
    });
  }

  private select(userId: string, visibility: ItemVisibility) {
    // Unread: items of the feed without a read mark from this user, and that their filter
    // rules do not hide (a count must agree with the list it stands for).
    const unread = sql<number>`(
      SELECT COUNT(*) FROM items AS i
      LEFT JOIN item_states AS st ON st.item_id = i.id AND st.user_id = s.user_id
      WHERE i.feed_id = s.feed_id AND COALESCE(st.read, 0) = 0 AND ${visibility.shown('i', 's')})`;
    return this.db
      .selectFrom('subscriptions as s')
      .innerJoin('feeds as f', 'f.id', 's.feed_id')
      .select([
        's.id',
        's.feed_id',
        's.title as custom_title',
        's.folder_id',
        'f.title as feed_title',
        'f.url',
        'f.site_url',
        'f.last_fetched_at',
        'f.last_error',
        'f.next_fetch_at',
        's.full_text',
        unread.as('unread_count'),
      ])
      .where('s.user_id', '=', userId)
      .orderBy(sql`LOWER(COALESCE(s.title, f.title, f.url))`)
      .orderBy('s.id');
  }
}

interface SubscriptionRow {
  id: string;
  feed_id: string;
  custom_title: string | null;
  folder_id: string | null;
  feed_title: string | null;
  url: string;
  site_url: string | null;
  last_fetched_at: number | null;
  last_error: string | null;
  next_fetch_at: number;
  full_text: number;
  unread_count: number;
}

function toRecord(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    title: row.custom_title ?? row.feed_title ?? row.url,
    customTitle: row.custom_title,
    feedUrl: row.url,
    siteUrl: row.site_url,
    folderId: row.folder_id,
    unreadCount: row.unread_count,
    lastFetchedAt: row.last_fetched_at,
    lastError: row.last_error,
    nextFetchAt: row.next_fetch_at,
    fullText: row.full_text === 1,
  };
}
