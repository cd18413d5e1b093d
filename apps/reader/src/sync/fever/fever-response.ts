import { sanitizeFeedHtml } from '../../feeds/sanitize.js';
import type { ImageUrlRewrite } from '../../media/media-urls.js';
import { PLACEHOLDER_FAVICON_ID } from './favicons.js';
import type { FeverItemRow, FolderRow, SubscribedFeedRow } from './fever-queries.js';

// What leaves the server in the Fever dialect, member by member (never a row as it is).
// Times are Unix seconds; booleans are 0 or 1; lists of ids are comma-separated strings.

export const API_VERSION = 3;

/** The only thing an unauthenticated caller learns: that it is not. */
export function unauthenticated() {
  return { api_version: API_VERSION, auth: 0 } as const;
}

export function feverError(auth: 0 | 1, error: string) {
  return { api_version: API_VERSION, auth, error };
}

export function seconds(ms: number | null | undefined): number {
  return ms === null || ms === undefined ? 0 : Math.floor(ms / 1000);
}

export function toFeverGroup(folder: FolderRow, number: number) {
  return { id: number, title: folder.name };
}

export function toFeverFeed(feed: SubscribedFeedRow, number: number) {
  return {
    id: number,
    favicon_id: PLACEHOLDER_FAVICON_ID,
    title: feed.title,
    url: feed.url,
    site_url: feed.siteUrl ?? '',
    // Sparks are Fever's "feeds that don't count"; the reader has none.
    is_spark: 0,
    last_updated_on_time: seconds(feed.lastFetchedAt),
  };
}

/**
 * The article sanitized again on the way out, as the web API does (see routes/serializers.ts),
 * its images absolute and as the media proxy's mode says (reader.mediaUrls.forApps).
 */
export function toFeverItem(item: FeverItemRow, feedNumber: number, imageUrl: ImageUrlRewrite) {
  return {
    id: item.id,
    feed_id: feedNumber,
    title: item.title,
    author: item.author ?? '',
    html: sanitizeFeedHtml(item.contentHtml, item.url ?? undefined, imageUrl),
    url: item.url ?? '',
    is_saved: item.starred ? 1 : 0,
    is_read: item.read ? 1 : 0,
    created_on_time: seconds(item.publishedAt),
  };
}

/**
 * `feeds_groups`: for each group with feeds, its feed numbers. A feed in no folder is in no
 * group; clients list it under "All" (Fever's Kindling), as Fever itself did.
 */
export function toFeedsGroups(
  feeds: readonly SubscribedFeedRow[],
  feedNumbers: ReadonlyMap<string, number>,
  folderNumbers: ReadonlyMap<string, number>,
) {
  const byGroup = new Map<number, number[]>();
  for (const feed of feeds) {
    const group = feed.folderId === null ? undefined : folderNumbers.get(feed.folderId);
    const number = feedNumbers.get(feed.feedId);
    if (group === undefined || number === undefined) continue;
    const numbers = byGroup.get(group);
    if (numbers === undefined) byGroup.set(group, [number]);
    else numbers.push(number);
  }
  return [...byGroup]
    .sort(([a], [b]) => a - b)
    .map(([group, numbers]) => ({ group_id: group, feed_ids: numbers.sort((a, b) => a - b).join(',') }));
}

export function idList(ids: readonly number[]): string {
  return ids.join(',');
}
