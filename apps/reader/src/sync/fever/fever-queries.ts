import { sql, type Kysely } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { ItemVisibility } from '../../filters/item-visibility.js';
import { ITEMS_PER_PAGE, type ItemSelector } from './fever-command.js';
import { toInteger } from './sql-integer.js';

// What a Fever client reads, one user at a time. Every query starts from the user's own
// subscriptions or folders: an item, feed or folder reached any other way does not exist
// for them. Each answer is a single query, whatever the number of items.

export interface SubscribedFeedRow {
  feedId: string;
  folderId: string | null;
  title: string;
  url: string;
  siteUrl: string | null;
  lastFetchedAt: number | null;
}

export interface FolderRow {
  id: string;
  name: string;
}

export interface FeverItemRow {
  id: number;
  feedId: string;
  title: string;
  author: string | null;
  contentHtml: string;
  url: string | null;
  publishedAt: number;
  read: boolean;
  starred: boolean;
}

export class FeverQueries {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async subscribedFeeds(userId: string): Promise<SubscribedFeedRow[]> {
    const rows = await this.db
      .selectFrom('subscriptions as s')
      .innerJoin('feeds as f', 'f.id', 's.feed_id')
      .select([
        's.feed_id',
        's.folder_id',
        sql<string>`COALESCE(s.title, f.title, f.url)`.as('title'),
        'f.url',
        'f.site_url',
        'f.last_fetched_at',
      ])
      .where('s.user_id', '=', userId)
      .orderBy(sql`LOWER(COALESCE(s.title, f.title, f.url))`)
      .orderBy('s.id')
      .execute();
    return rows.map((row) => ({
      feedId: row.feed_id,
      folderId: row.folder_id,
      title: row.title,
      url: row.url,
      siteUrl: row.site_url,
      lastFetchedAt: row.last_fetched_at === null ? null : toInteger(row.last_fetched_at),
    }));
  }

  async folders(userId: string): Promise<FolderRow[]> {
    return this.db.selectFrom('folders').select(['id', 'name']).where('user_id', '=', userId).orderBy('name').execute();
  }

  /** When any of the user's feeds was last fetched (ms), or undefined before the first fetch. */
  async lastRefreshedAt(userId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('subscriptions as s')
      .innerJoin('feeds as f', 'f.id', 's.feed_id')
      .select((eb) => eb.fn.max('f.last_fetched_at').as('last'))
      .where('s.user_id', '=', userId)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? undefined : toInteger(row.last);
  }

  /** How many items the user can see: the protocol's `total_items`. */
  async totalItems(userId: string): Promise<number> {
    const listed = await this.listed(userId);
    const row = await listed.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    return toInteger(row.total);
  }

  /** One page of items: ascending ids after since_id (or for with_ids), descending below max_id. */
  async items(userId: string, selector: ItemSelector): Promise<FeverItemRow[]> {
    if (selector.kind === 'ids' && selector.ids.length === 0) return [];
    // Asked for by id, an item a filter rule hides is still there (its client fetched it
    // before the rule); paged through, it is not.
    let query = (selector.kind === 'ids' ? this.visible(userId) : await this.listed(userId))
      .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId))
      .select([
        'items.id',
        'items.feed_id',
        'items.title',
        'items.author',
        'items.content_html',
        'items.url',
        'items.published_at',
        sql<number>`COALESCE(st.read, 0)`.as('is_read'),
        sql<number>`COALESCE(st.starred, 0)`.as('is_starred'),
      ]);
    if (selector.kind === 'since') {
      query = query.where('items.id', '>', selector.id).orderBy('items.id', 'asc');
    } else if (selector.kind === 'max') {
      if (selector.id !== undefined) query = query.where('items.id', '<', selector.id);
      query = query.orderBy('items.id', 'desc');
    } else {
      query = query.where('items.id', 'in', selector.ids).orderBy('items.id', 'asc');
    }
    const rows = await query.limit(ITEMS_PER_PAGE).execute();
    return rows.map((row) => ({
      id: toInteger(row.id),
      feedId: row.feed_id,
      title: row.title,
      author: row.author,
      contentHtml: row.content_html,
      url: row.url,
      publishedAt: toInteger(row.published_at),
      read: toInteger(row.is_read) === 1,
      starred: toInteger(row.is_starred) === 1,
    }));
  }

  /** Every unread item id, ascending: one query (a user may have 100,000 items). */
  async unreadItemIds(userId: string): Promise<number[]> {
    const listed = await this.listed(userId);
    const rows = await listed
      .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId))
      .select('items.id')
      .where(sql<boolean>`COALESCE(st.read, 0) = 0`)
      .orderBy('items.id')
      .execute();
    return rows.map((row) => toInteger(row.id));
  }

  /** Every starred item id, ascending, starting from the user's own marks (few, and indexed). */
  async savedItemIds(userId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('item_states as st')
      .innerJoin('items', 'items.id', 'st.item_id')
      .innerJoin('subscriptions as s', (join) =>
        join.onRef('s.feed_id', '=', 'items.feed_id').on('s.user_id', '=', userId),
      )
      .select('st.item_id')
      .where('st.user_id', '=', userId)
      .where('st.starred', '=', 1)
      .where((await ItemVisibility.of(this.db, userId)).shown('items', 's'))
      .orderBy('st.item_id')
      .execute();
    return rows.map((row) => toInteger(row.item_id));
  }

  /** Items of the feeds the user subscribes to that their filter rules do not hide. */
  private async listed(userId: string) {
    const visibility = await ItemVisibility.of(this.db, userId);
    return this.visible(userId).where(visibility.shown('items', 's'));
  }

  /** Items of the feeds the user subscribes to. */
  private visible(userId: string) {
    return this.db
      .selectFrom('items')
      .innerJoin('subscriptions as s', (join) =>
        join.onRef('s.feed_id', '=', 'items.feed_id').on('s.user_id', '=', userId),
      );
  }
}
