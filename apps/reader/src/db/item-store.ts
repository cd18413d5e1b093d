import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { ItemVisibility } from '../filters/item-visibility.js';
import { itemHasTag } from '../tags/tag-conditions.js';
import type { ReaderDatabase } from './schema.js';
import { itemMatches } from './search-index.js';

export type ItemView = 'all' | 'unread' | 'starred';

/** What a list shows: the same filter serves listing and "mark all as read". */
export interface ItemFilter {
  view: ItemView;
  subscriptionId?: string | undefined;
  folderId?: string | undefined;
  q?: string | undefined;
  /** Tag names: the item must carry every one (tags/). */
  tags?: readonly string[] | undefined;
}

/** Position in a newest-first list: the last item of the previous page. */
export interface ItemCursor {
  publishedAt: number;
  id: number;
}

export interface ItemRecord {
  id: number;
  subscriptionId: string;
  feedTitle: string;
  title: string;
  author: string | null;
  url: string | null;
  publishedAt: number;
  snippet: string;
  read: boolean;
  starred: boolean;
  /** The list's thumbnail as the feed gave it; null: none. */
  imageUrl: string | null;
}

export interface ItemWithContent extends ItemRecord {
  contentHtml: string;
}

/**
 * Items as one user sees them: only from feeds they subscribe to (an item of any other
 * feed does not exist for them), with their own read and starred marks.
 */
export class ItemStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async list(userId: string, filter: ItemFilter, limit: number, after?: ItemCursor): Promise<ItemRecord[]> {
    // What the user's hide and keep-only rules leave out is in no list (filters/).
    const visibility = await ItemVisibility.of(this.db, userId);
    let query = this.visible(userId, filter).where(visibility.shown('items', 's'));
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('items.published_at', '<', after.publishedAt),
          eb.and([eb('items.published_at', '=', after.publishedAt), eb('items.id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query
      .select(SUMMARY_COLUMNS)
      .orderBy('items.published_at', 'desc')
      .orderBy('items.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async find(userId: string, itemId: number): Promise<ItemWithContent | undefined> {
    const row = await this.visible(userId, { view: 'all' })
      .select([...SUMMARY_COLUMNS, 'items.content_html'])
      .where('items.id', '=', itemId)
      .executeTakeFirst();
    return row && { ...toRecord(row), contentHtml: row.content_html };
  }

  /** Sets the user's marks on a visible item; false if they can't see it. */
  async setState(
    userId: string,
    itemId: number,
    marks: { read?: boolean; starred?: boolean },
    now: number,
  ): Promise<boolean> {
    const current = await this.find(userId, itemId);
    if (current === undefined) return false;
    const read = (marks.read ?? current.read) ? 1 : 0;
    const starred = (marks.starred ?? current.starred) ? 1 : 0;
    await this.db
      .insertInto('item_states')
      .values({ user_id: userId, item_id: itemId, read, starred, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet({ read, starred, updated_at: now }))
      .execute();
    return true;
  }

  /**
   * Marks read every unread item the list `filter` shows that was published at or before
   * `upTo`: items that arrived after the user looked are not swept up. Returns how many.
   */
  async markRead(userId: string, filter: ItemFilter, upTo: number, now: number): Promise<number> {
    const visibility = await ItemVisibility.of(this.db, userId);
    return this.db.transaction().execute(async (trx) => {
      const store = new ItemStore(trx);
      const ids = await store
        .visible(userId, filter)
        .where(visibility.shown('items', 's'))
        .select('items.id')
        .where('items.published_at', '<=', upTo)
        .where(sql<SqlBool>`COALESCE(st.read, 0) = 0`)
        .execute();
      for (const { id } of ids) {
        await trx
          .insertInto('item_states')
          .values({ user_id: userId, item_id: id, read: 1, starred: 0, updated_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet({ read: 1, updated_at: now }))
          .execute();
      }
      return ids.length;
    });
  }

  private visible(userId: string, filter: ItemFilter) {
    let query = this.db
      .selectFrom('items')
      .innerJoin('subscriptions as s', (join) =>
        join.onRef('s.feed_id', '=', 'items.feed_id').on('s.user_id', '=', userId),
      )
      .innerJoin('feeds as f', 'f.id', 'items.feed_id')
      .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId));
    if (filter.view === 'unread') query = query.where(sql<SqlBool>`COALESCE(st.read, 0) = 0`);
    if (filter.view === 'starred') query = query.where('st.starred', '=', 1);
    if (filter.subscriptionId !== undefined) query = query.where('s.id', '=', filter.subscriptionId);
    if (filter.folderId !== undefined) query = query.where('s.folder_id', '=', filter.folderId);
    const search: Expression<SqlBool> | undefined = filter.q === undefined ? undefined : itemMatches(filter.q);
    if (search !== undefined) query = query.where(search);
    for (const tag of filter.tags ?? []) query = query.where(itemHasTag(userId, tag));
    return query;
  }
}

const SUMMARY_COLUMNS = [
  'items.id',
  's.id as subscription_id',
  sql<string>`COALESCE(s.title, f.title, f.url)`.as('feed_title'),
  'items.title',
  'items.author',
  'items.url',
  'items.published_at',
  'items.snippet',
  'items.image_url',
  sql<number>`COALESCE(st.read, 0)`.as('is_read'),
  sql<number>`COALESCE(st.starred, 0)`.as('is_starred'),
] as const;

interface SummaryRow {
  id: number;
  subscription_id: string;
  feed_title: string;
  title: string;
  author: string | null;
  url: string | null;
  published_at: number;
  snippet: string;
  image_url: string | null;
  is_read: number;
  is_starred: number;
}

function toRecord(row: SummaryRow): ItemRecord {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    feedTitle: row.feed_title,
    title: row.title,
    author: row.author,
    url: row.url,
    publishedAt: row.published_at,
    snippet: row.snippet,
    imageUrl: row.image_url,
    read: row.is_read === 1,
    starred: row.is_starred === 1,
  };
}
