import type { FolderRecord } from '../db/folder-store.js';
import type { ItemRecord, ItemWithContent } from '../db/item-store.js';
import type { SubscriptionRecord } from '../db/subscription-store.js';
import type { FilterRule } from '../filters/filter-rule.js';
import type { TagRecord } from '../tags/tag-store.js';
import { sanitizeFeedHtml } from '../feeds/sanitize.js';
import type { ImageUrlRewrite } from '../media/media-urls.js';
import type { Preferences } from '../preferences/preferences.js';
import type { OpmlImportResult } from '../service/opml-importer.js';
import { codeMessage, type MessageCode } from './message-codes.js';

// What leaves the server, field by field (never a database row as it is).

export function toApiFolder(folder: FolderRecord, unreadCount: number) {
  return { id: folder.id, name: folder.name, unreadCount };
}

export function toApiSubscription(subscription: SubscriptionRecord) {
  const lastError = codeOf(subscription.lastError);
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
      // The same sentence as a code and its parameters, for a client in another language.
      lastErrorCode: lastError.code,
      lastErrorParams: lastError.params,
      nextFetchAt: isoOrNull(subscription.nextFetchAt),
    },
    fullText: subscription.fullText,
  };
}

/** An OPML import's outcome, each skipped entry's reason with its code (message-codes.ts). */
export function toApiOpmlImport(result: OpmlImportResult) {
  return {
    imported: result.imported,
    skipped: result.skipped.map(({ url, reason }) => {
      const { code, params } = codeOf(reason);
      return { url, reason, reasonCode: code, reasonParams: params };
    }),
    folders: result.folders,
  };
}

/** A sentence's code and parameters: null and {} when there is no sentence or no code for it. */
function codeOf(text: string | null): { code: MessageCode | null; params: Record<string, string> } {
  return (text === null ? null : codeMessage(text)) ?? { code: null, params: {} };
}

/** `imageUrl` turns the stored thumbnail into what the client loads (the media proxy mode). */
export function toApiItem(item: ItemRecord, imageUrl: ImageUrlRewrite) {
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
    imageUrl: item.imageUrl === null ? null : (imageUrl(item.imageUrl) ?? null),
  };
}

/**
 * The article, sanitized again on the way out although it was sanitized when stored: a
 * tightened allow-list then applies to old items too, and a row written by anything else
 * (a restored backup, a future importer) can't carry markup past it. Images are pointed at
 * the media proxy here, under the mode of today (`reader.mediaUrls.forBrowser`).
 */
export function toApiItemWithContent(item: ItemWithContent, imageUrl: ImageUrlRewrite) {
  return {
    ...toApiItem(item, imageUrl),
    contentHtml: sanitizeFeedHtml(item.contentHtml, item.url ?? undefined, imageUrl),
  };
}

/**
 * One item as the article view shows it: with `fullTextHtml`, the article extracted from its
 * page (fulltext/) when there is one to show, null otherwise; sanitized again and its images
 * rewritten like `contentHtml`.
 */
export function toApiItemWithFullText(
  item: ItemWithContent,
  fullTextHtml: string | undefined,
  imageUrl: ImageUrlRewrite,
) {
  return {
    ...toApiItemWithContent(item, imageUrl),
    fullTextHtml: fullTextHtml === undefined ? null : sanitizeFeedHtml(fullTextHtml, item.url ?? undefined, imageUrl),
  };
}

export function toApiPreferences(preferences: Preferences) {
  const { language, theme, fontSize, lineWidth, markReadOnScroll } = preferences;
  return { language, theme, fontSize, lineWidth, markReadOnScroll };
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

export function toApiFilterRule(rule: FilterRule) {
  return {
    id: rule.id,
    action: rule.action,
    subscriptionId: rule.subscriptionId,
    fields: rule.fields,
    keywords: rule.keywords,
    createdAt: new Date(rule.createdAt).toISOString(),
    updatedAt: new Date(rule.updatedAt).toISOString(),
  };
}

export function toApiTag(tag: TagRecord) {
  return { id: tag.id, name: tag.name, count: tag.count };
}
