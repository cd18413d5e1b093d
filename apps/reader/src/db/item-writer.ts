import type { Kysely } from 'kysely';
import type { PreparedItem } from '../feeds/prepare-items.js';
import { applyRulesToArrivals, type Arrival } from '../filters/arrival-rules.js';
import type { ReaderDatabase } from './schema.js';
import { indexItem } from './search-index.js';

export interface IngestResult {
  inserted: number;
  updated: number;
}

/**
 * Stores a fetch's items for everyone who reads the feed. Call inside a transaction (with
 * the feed's status update), so a fetch is stored whole or not at all. An item seen before
 * (same de-duplication key) is updated only if its content changed, and keeps its place
 * in time: an edited post does not jump back to the top as unread news.
 */
export async function ingestItems(
  db: Kysely<ReaderDatabase>,
  feedId: string,
  items: readonly PreparedItem[],
  fetchedAt: number,
): Promise<IngestResult> {
  const result: IngestResult = { inserted: 0, updated: 0 };
  const arrivals: Arrival[] = [];
  for (const item of items) {
    const existing = await db
      .selectFrom('items')
      .select(['id', 'content_hash'])
      .where('feed_id', '=', feedId)
      .where('dedup_key', '=', item.dedupKey)
      .executeTakeFirst();
    const fields = {
      url: item.url,
      title: item.title,
      author: item.author,
      content_html: item.contentHtml,
      snippet: item.snippet,
      content_hash: item.contentHash,
      image_url: item.imageUrl,
    };
    let id: number;
    if (existing === undefined) {
      const inserted = await db
        .insertInto('items')
        .values({
          ...fields,
          feed_id: feedId,
          dedup_key: item.dedupKey,
          published_at: item.publishedAt ?? fetchedAt,
          fetched_at: fetchedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = inserted.id;
      result.inserted += 1;
    } else if (existing.content_hash !== item.contentHash) {
      await db.updateTable('items').set(fields).where('id', '=', existing.id).execute();
      id = existing.id;
      result.updated += 1;
    } else {
      continue;
    }
    await indexItem(db as Kysely<unknown>, { id, title: item.title, author: item.author, body: item.contentText });
    arrivals.push({
      id,
      isNew: existing === undefined,
      title: item.title,
      author: item.author,
      contentText: item.contentText,
    });
  }
  // Subscribers' filter rules (filters/): marks on new items, hits of hide and keep-only rules.
  await applyRulesToArrivals(db, feedId, arrivals, fetchedAt);
  return result;
}
