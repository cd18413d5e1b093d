import type { FolderRecord } from '../db/folder-store.js';
import type { ItemRecord, ItemWithContent } from '../db/item-store.js';
import type { SubscriptionRecord } from '../db/subscription-store.js';
import { sanitizeFeedHtml } from '../feeds/sanitize.js';

// What leaves the server, field by field (never a database row as it is).

export function toApiFolder(folder: FolderRecord, unreadCount: number) {
  return { id: folder.id, name: folder.name, unreadCount };
}

export function toApiSubscription(subscription: SubscriptionRecord) {
  return {
    id: subscription.id,
    title: subscription.title,
    feedUrl: subscription.feedUrl,
    siteUrl: subscription.siteUrl,
    folderId: subscription.folderId,
    unreadCount: subscription.unreadCount,
    status: {
      lastFetchedAt: isoOrNull(subscription.lastFetchedAt),
      lastError: subscription.lastError,
      nextFetchAt: isoOrNull(subscription.nextFetchAt),
    },
  };
}

export function toApiItem(item: ItemRecord) {
  return {
    id: String(item.id),
    subscriptionId: item.subscriptionId,
    feedTitle: item.feedTitle,
    title: item.title,
    author: item.author,
    url: item.url,
    publishedAt: new Date(item.publishedAt).toISOString(),
    snippet: item.snippet,
    read: item.read,
    starred: item.starred,
  };
}

/**
 * The article, sanitized again on the way out although it was sanitized when stored: a
 * tightened allow-list then applies to old items too, and a row written by anything else
 * (a restored backup, a future importer) can't carry markup past it.
 */
export function toApiItemWithContent(item: ItemWithContent) {
  return { ...toApiItem(item), contentHtml: sanitizeFeedHtml(item.contentHtml, item.url ?? undefined) };
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
