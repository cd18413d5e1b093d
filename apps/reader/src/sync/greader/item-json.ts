import { sanitizeFeedHtml } from '../../feeds/sanitize.js';
import type { ImageUrlRewrite } from '../../media/media-urls.js';
import { longItemId } from './item-ids.js';
import type { ItemRow } from './item-rows.js';
import { feedStreamId, labelStreamId, READ, READING_LIST, STARRED } from './stream-ids.js';

/**
 * An item as Google Reader's JSON wrote it, field by field. Times: `published` and
 * `updated` in seconds, `crawlTimeMsec` in milliseconds, `timestampUsec` in microseconds,
 * the last two as strings (JSON numbers lose precision past 2^53 in some clients).
 * `timestampUsec` is the publication time, the order streams are sorted in, so a client's
 * "mark all as read up to the newest I saw" (ts) means what it saw.
 */
export function toItemJson(item: ItemRow, imageUrl: ImageUrlRewrite) {
  const categories = [READING_LIST];
  if (item.read) categories.push(READ);
  if (item.starred) categories.push(STARRED);
  if (item.folderName !== null) categories.push(labelStreamId(item.folderName));
  const published = Math.floor(item.publishedAt / 1000);
  return {
    id: longItemId(item.id),
    crawlTimeMsec: integerText(item.fetchedAt),
    timestampUsec: microseconds(item.publishedAt),
    published,
    updated: published,
    title: item.title,
    canonical: item.url === null ? [] : [{ href: item.url }],
    alternate: item.url === null ? [] : [{ href: item.url, type: 'text/html' }],
    // Sanitized again on the way out, as the web API does: a tightened allow-list then
    // covers old items, and sync clients render this HTML too. Images as the media proxy's
    // mode says, with absolute URLs (reader.mediaUrls.forApps; decision 0020).
    summary: { direction: 'ltr', content: sanitizeFeedHtml(item.contentHtml, item.url ?? undefined, imageUrl) },
    // A string, never null: typed clients (Swift's Decodable) fail a whole page on a null.
    author: item.author ?? '',
    categories,
    origin: { streamId: feedStreamId(item.feedId), title: item.feedTitle, htmlUrl: item.siteUrl ?? '' },
  };
}

/** An item reference in stream/items/ids: the short (decimal) id. */
export function toItemRef(item: { id: number; publishedAt: number; feedId: string }) {
  return {
    id: String(item.id),
    directStreamIds: [feedStreamId(item.feedId)],
    timestampUsec: microseconds(item.publishedAt),
  };
}

export function microseconds(ms: number): string {
  return Number.isSafeInteger(ms) ? (BigInt(ms) * 1000n).toString() : '0';
}

function integerText(ms: number): string {
  return Number.isSafeInteger(ms) ? String(ms) : '0';
}
