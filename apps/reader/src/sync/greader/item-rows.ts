import { sql, type Kysely } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { visibleItemsById } from './stream-query.js';

/** An item with everything its JSON or Atom entry shows, as the user sees it. */
export interface ItemRow {
  id: number;
  feedId: string;
  feedTitle: string;
  siteUrl: string | null;
  folderName: string | null;
  title: string;
  author: string | null;
  url: string | null;
  contentHtml: string;
  publishedAt: number;
  fetchedAt: number;
  read: boolean;
  starred: boolean;
}

/** SQLite allows 32,766 bound values; far fewer per statement keeps each one quick. */
const CHUNK = 500;

/**
 * The visible items among `ids`, keyed by id. An id the user cannot see (another user's
 * feed, a deleted item) is simply absent: callers decide whether that is an error.
 */
export async function loadItemRows(
  db: Kysely<ReaderDatabase>,
  userId: string,
  ids: readonly number[],
): Promise<Map<number, ItemRow>> {
  const found = new Map<number, ItemRow>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += CHUNK) {
    const rows = await visibleItemsById(db, userId)
      .innerJoin('feeds as f', 'f.id', 'items.feed_id')
      .leftJoin('folders as fo', 'fo.id', 's.folder_id')
      .select([
        'items.id',
        'items.feed_id',
        sql<string>`COALESCE(s.title, f.title, f.url)`.as('feed_title'),
        'f.site_url',
        'fo.name as folder_name',
        'items.title',
        'items.author',
        'items.url',
        'items.content_html',
        'items.published_at',
        'items.fetched_at',
        sql<number>`COALESCE(st.read, 0)`.as('is_read'),
        sql<number>`COALESCE(st.starred, 0)`.as('is_starred'),
      ])
      .where('items.id', 'in', unique.slice(start, start + CHUNK))
      .execute();
    for (const row of rows) {
      found.set(row.id, {
        id: row.id,
        feedId: row.feed_id,
        feedTitle: row.feed_title,
        siteUrl: row.site_url,
        folderName: row.folder_name,
        title: row.title,
        author: row.author,
        url: row.url,
        contentHtml: row.content_html,
        publishedAt: row.published_at,
        fetchedAt: row.fetched_at,
        read: row.is_read === 1,
        starred: row.is_starred === 1,
      });
    }
  }
  return found;
}
