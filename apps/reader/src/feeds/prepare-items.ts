import { createHash } from 'node:crypto';
import { firstContentImage } from './item-image.js';
import type { ParsedItem } from './parse-feed.js';
import { htmlToText, truncateText } from './plain-text.js';
import { sanitizeFeedHtml } from './sanitize.js';

/** An item ready to store: sanitized, summarised, and keyed for de-duplication. */
export interface PreparedItem {
  dedupKey: string;
  url: string | null;
  title: string;
  author: string | null;
  contentHtml: string;
  /** Plain text of the content, for the full-text index. */
  contentText: string;
  snippet: string;
  contentHash: string;
  /** null: the feed gave no usable date; the store uses the time it first saw the item. */
  publishedAt: number | null;
  /** The list's thumbnail: the feed's declared picture, else the content's first image. */
  imageUrl: string | null;
}

export const SNIPPET_LENGTH = 200;
const TITLE_LENGTH = 300;
const AUTHOR_LENGTH = 200;

/**
 * What makes an item "the same item" on the next fetch: its guid, else its link, else a
 * hash of what it says. The prefix keeps a guid that happens to equal some link apart.
 * Items with the same key in one document are kept once (the first).
 */
export function prepareItems(items: readonly ParsedItem[], fetchedAt: number): PreparedItem[] {
  const seen = new Set<string>();
  const prepared: PreparedItem[] = [];
  for (const item of items) {
    const contentHtml = sanitizeFeedHtml(item.contentHtml, item.baseUrl);
    const contentText = htmlToText(contentHtml);
    const contentHash = sha256(`${item.title}\n${contentHtml}`);
    const dedupKey =
      item.guid !== null ? `guid:${item.guid}` : item.url !== null ? `link:${item.url}` : `hash:${contentHash}`;
    if (seen.has(dedupKey)) continue;
    seen.add(dedupKey);
    const title = firstNonEmpty(item.title, truncateText(contentText, 100), item.url) ?? 'Untitled';
    prepared.push({
      dedupKey,
      url: item.url,
      title: truncateText(title, TITLE_LENGTH),
      author: item.author === null ? null : truncateText(item.author, AUTHOR_LENGTH),
      contentHtml,
      contentText,
      snippet: truncateText(contentText, SNIPPET_LENGTH),
      contentHash,
      // A date in the future would pin an item to the top of every list; clamp it to now.
      publishedAt: item.publishedAt === null ? null : Math.min(item.publishedAt, fetchedAt),
      imageUrl: item.imageUrl ?? firstContentImage(contentHtml),
    });
  }
  return prepared;
}

function firstNonEmpty(...values: (string | null)[]): string | undefined {
  return values.find((value): value is string => value !== null && value !== '');
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
