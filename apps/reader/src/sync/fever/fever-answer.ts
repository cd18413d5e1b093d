import type { ImageUrlRewrite } from '../../media/media-urls.js';
import type { FeverCommand } from './fever-command.js';
import type { FeverQueries } from './fever-queries.js';
import { feverFavicons } from './favicons.js';
import { applyMark, type FeverMarker } from './mark.js';
import {
  API_VERSION,
  idList,
  seconds,
  toFeedsGroups,
  toFeverFeed,
  toFeverGroup,
  toFeverItem,
} from './fever-response.js';
import type { SyncNumbers } from './sync-numbers.js';

export interface FeverServices {
  queries: FeverQueries;
  numbers: SyncNumbers;
  marker: FeverMarker;
  /** Where item images point: reader.mediaUrls.forApps. */
  imageUrl: ImageUrlRewrite;
}

export type FeverAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

/**
 * Carries out one authenticated, validated call: the mark first (so what the call reads back
 * already shows it), then every member the call asked for. Fever clients combine requests
 * (`?api&groups&feeds`), so each is answered, not just the first.
 */
export async function answerFever(
  services: FeverServices,
  userId: string,
  command: FeverCommand,
  now: number,
): Promise<FeverAnswer> {
  const { queries, numbers } = services;
  if (command.mark !== undefined) {
    const marked = await applyMark(services.marker, userId, command.mark, now);
    if (!marked.ok) return marked;
  }

  const body: Record<string, unknown> = {
    api_version: API_VERSION,
    auth: 1,
    last_refreshed_on_time: seconds(await queries.lastRefreshedAt(userId)),
  };
  if (command.groups || command.feeds) {
    const feeds = await queries.subscribedFeeds(userId);
    const folders = await queries.folders(userId);
    // Numbered on first sight: a feed or folder made since the last call gets its number now.
    const feedNumbers = await numbers.numbersFor('feed', feedIdsOf(feeds));
    const folderNumbers = await numbers.numbersFor('folder', folderIdsOf(folders));
    if (command.groups) body.groups = folders.map((folder) => toFeverGroup(folder, folderNumbers.get(folder.id) ?? 0));
    if (command.feeds) body.feeds = feeds.map((feed) => toFeverFeed(feed, feedNumbers.get(feed.feedId) ?? 0));
    body.feeds_groups = toFeedsGroups(feeds, feedNumbers, folderNumbers);
  }
  if (command.favicons) body.favicons = feverFavicons();
  if (command.items !== undefined) {
    const items = await queries.items(userId, command.items);
    const feedNumbers = await numbers.numbersFor('feed', feedIdsOf(items));
    body.total_items = await queries.totalItems(userId);
    body.items = items.map((item) => toFeverItem(item, feedNumbers.get(item.feedId) ?? 0, services.imageUrl));
  }
  // Fever's "Hot" links ranked what many feeds link to; the reader has no such ranking.
  if (command.links) body.links = [];
  if (command.unreadItemIds) body.unread_item_ids = idList(await queries.unreadItemIds(userId));
  if (command.savedItemIds) body.saved_item_ids = idList(await queries.savedItemIds(userId));
  return { ok: true, body };
}

function feedIdsOf(rows: readonly { feedId: string }[]): string[] {
  return rows.map((row) => row.feedId);
}

function folderIdsOf(rows: readonly { id: string }[]): string[] {
  return rows.map((row) => row.id);
}
