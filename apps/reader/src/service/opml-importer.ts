import type { Kysely } from 'kysely';
import { FeedStore } from '../db/feed-store.js';
import { FolderStore } from '../db/folder-store.js';
import type { ReaderDatabase } from '../db/schema.js';
import { SubscriptionStore } from '../db/subscription-store.js';
import { FetchError, userFacingMessage } from '../feeds/fetch-error.js';
import { checkFetchUrl, type HostAllowList } from '../feeds/fetch-policy.js';
import type { OpmlEntry } from '../opml/opml-parse.js';

export interface OpmlImportResult {
  imported: number;
  skipped: { url: string; reason: string }[];
  /** Folders created by this import (existing ones of the same name are reused). */
  folders: number;
}

/**
 * Subscribes a user to the feeds of an OPML file in ONE transaction: any failure leaves
 * nothing behind. Feeds are not fetched here (a file may list hundreds); new ones are due
 * at once and the scheduler fetches them. Entries that can't be subscribed are skipped
 * with a reason, not silently dropped.
 */
export async function importOpmlEntries(
  db: Kysely<ReaderDatabase>,
  userId: string,
  entries: readonly OpmlEntry[],
  allowList: HostAllowList,
  now: number,
): Promise<OpmlImportResult> {
  return db.transaction().execute(async (trx) => {
    const feeds = new FeedStore(trx);
    const folders = new FolderStore(trx);
    const subscriptions = new SubscriptionStore(trx);
    const result: OpmlImportResult = { imported: 0, skipped: [], folders: 0 };
    const folderIds = new Map<string, string>();
    const seen = new Set<string>();

    for (const entry of entries) {
      let url: string;
      try {
        url = checkFetchUrl(entry.url, allowList).href;
      } catch (error) {
        if (!(error instanceof FetchError)) throw error;
        // A refused address is reported as a subscribe would report it (userFacingMessage).
        result.skipped.push({ url: entry.url, reason: userFacingMessage(error) });
        continue;
      }
      if (seen.has(url)) {
        result.skipped.push({ url, reason: 'Listed more than once in the file.' });
        continue;
      }
      seen.add(url);

      let folderId: string | null = null;
      if (entry.folderName !== null) {
        folderId = folderIds.get(entry.folderName) ?? null;
        if (folderId === null) {
          const existing = await folders.findByName(userId, entry.folderName);
          folderId = existing?.id ?? (await folders.create(userId, entry.folderName, now)).id;
          if (existing === undefined) result.folders += 1;
          folderIds.set(entry.folderName, folderId);
        }
      }
      const feed = await feeds.ensure(url, now, now);
      const { created } = await subscriptions.create(userId, { feedId: feed.id, folderId, title: entry.title }, now);
      if (created) result.imported += 1;
      else result.skipped.push({ url, reason: 'Already subscribed.' });
    }
    return result;
  });
}
