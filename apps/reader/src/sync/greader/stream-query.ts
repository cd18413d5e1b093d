import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { ItemVisibility } from '../../filters/item-visibility.js';
import type { StreamPosition } from './continuation.js';
import type { StreamListing } from './stream-params.js';
import { inScope, notInScope, type StreamScope } from './stream-scope.js';

/** One listed item's key: enough for an itemRef, and for the next page's continuation. */
export interface ItemKey extends StreamPosition {
  feedId: string;
}

export interface ItemKeyPage {
  keys: ItemKey[];
  /** The last key, when there may be more after it. */
  next: StreamPosition | undefined;
}

/** The filters of a listing with their stream ids already resolved to scopes. */
export interface ResolvedListing extends Omit<StreamListing, 'include' | 'exclude'> {
  include: StreamScope[];
  exclude: StreamScope[];
}

/**
 * The items of a user's stream, one page, as keys only: the sort reads the (feed_id,
 * published_at, id) index and the marks by primary key, never an article's content, so a
 * page costs the same with 100,000 items as with 100. item-rows.ts loads the page's content.
 */
export async function listItemKeys(
  db: Kysely<ReaderDatabase>,
  userId: string,
  scope: StreamScope,
  listing: ResolvedListing,
): Promise<ItemKeyPage> {
  const direction = listing.order === 'newest' ? sql`DESC` : sql`ASC`;
  // Items the user's filter rules hide are in no stream (filters/filter-rule.ts).
  const visibility = await ItemVisibility.of(db, userId);
  const rows = await visibleItems(db, userId)
    .select(['items.id', 'items.published_at', 'items.feed_id'])
    .where(streamCondition(scope, listing))
    .where(visibility.shown('items', 's'))
    .orderBy(sql`items.published_at ${direction}`)
    .orderBy(sql`items.id ${direction}`)
    // One more than asked says whether a next page exists without a second query.
    .limit(listing.limit + 1)
    .execute();
  const keys = rows.slice(0, listing.limit).map((row) => ({
    id: row.id,
    publishedAt: row.published_at,
    feedId: row.feed_id,
  }));
  const last = keys.at(-1);
  return { keys, next: rows.length > listing.limit && last !== undefined ? last : undefined };
}

/** Items joined to the user's subscription (the only items they can see) and their marks. */
export function visibleItems(db: Kysely<ReaderDatabase>, userId: string) {
  return db
    .selectFrom('items')
    .innerJoin('subscriptions as s', (join) =>
      join.onRef('s.feed_id', '=', 'items.feed_id').on('s.user_id', '=', userId),
    )
    .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId));
}

/**
 * The same rows, for a known list of ids (`items.id IN (…)`). CROSS JOIN pins SQLite's loop
 * order with items outside: each id is then a primary-key look-up. With the plain join the
 * planner (no statistics) starts from the subscriptions and walks every feed's index to
 * find the ids: 20 rows cost a scan of all 100,000.
 */
export function visibleItemsById(db: Kysely<ReaderDatabase>, userId: string) {
  return db
    .selectFrom('items')
    .crossJoin('subscriptions as s')
    .leftJoin('item_states as st', (join) => join.onRef('st.item_id', '=', 'items.id').on('st.user_id', '=', userId))
    .whereRef('s.feed_id', '=', 'items.feed_id')
    .where('s.user_id', '=', userId);
}

/** Stream, it/xt, ot/nt and the continuation's position, as one condition. */
function streamCondition(scope: StreamScope, listing: ResolvedListing) {
  const parts = [inScope(scope), ...listing.include.map(inScope), ...listing.exclude.map(notInScope)];
  if (listing.since !== undefined) parts.push(sql<SqlBool>`items.published_at >= ${listing.since}`);
  if (listing.until !== undefined) parts.push(sql<SqlBool>`items.published_at < ${listing.until}`);
  const { after } = listing;
  if (after !== undefined) {
    // Strictly past the last item sent, ties on the time broken by id: never the same twice.
    const past = listing.order === 'newest' ? sql`<` : sql`>`;
    parts.push(
      sql<SqlBool>`(items.published_at ${past} ${after.publishedAt}
        OR (items.published_at = ${after.publishedAt} AND items.id ${past} ${after.id}))`,
    );
  }
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}
