import type { Kysely } from 'kysely';
import type { Clock } from '@gatehouse/core';
import { FeedStore, type FeedRecord } from '../db/feed-store.js';
import { ingestItems } from '../db/item-writer.js';
import type { ReaderDatabase } from '../db/schema.js';
import { errorBackoffMs, MAX_BACKOFF_MS } from '../feeds/backoff.js';
import { decodeDocument } from '../feeds/charset.js';
import { FetchError, userFacingMessage } from '../feeds/fetch-error.js';
import type { FeedFetcher, FetchResult } from '../feeds/fetcher.js';
import { parseFeedDocument, type ParsedFeed } from '../feeds/parse-feed.js';
import { prepareItems } from '../feeds/prepare-items.js';
import type { ReaderLog } from './log.js';

export type RefreshOutcome =
  | { status: 'updated'; inserted: number; updated: number }
  | { status: 'not_modified' }
  | { status: 'failed'; error: FetchError };

export interface FeedRefresherOptions {
  db: Kysely<ReaderDatabase>;
  fetcher: FeedFetcher;
  clock: Clock;
  intervalMs: number;
  log: ReaderLog;
  /**
   * Told after a fetch stored new items (stored at `storedAt`, their `fetched_at`), once the
   * transaction is done. Must return at once: work it starts runs off the poll loop.
   */
  onItemsStored?: (feedId: string, storedAt: number) => void;
}

/**
 * One fetch of one feed, for all its subscribers: conditional request, parse, sanitize,
 * store; or, when anything goes wrong, the error recorded as the feed's status and the
 * next attempt pushed back (exponentially, or as the server's Retry-After asks).
 */
export class FeedRefresher {
  constructor(private readonly options: FeedRefresherOptions) {}

  async refresh(feed: FeedRecord): Promise<RefreshOutcome> {
    const { fetcher, clock, intervalMs } = this.options;
    const feeds = new FeedStore(this.options.db);
    const now = clock();
    try {
      const result = await fetcher.fetch({ url: feed.url, etag: feed.etag, lastModified: feed.lastModified });
      if (result.status === 'not_modified') {
        await feeds.recordNotModified(feed.id, now, now + intervalMs);
        return { status: 'not_modified' };
      }
      let parsed: ParsedFeed;
      try {
        parsed = parseFetchedFeed(result);
      } catch (error) {
        // What an allow-listed host served is not told in detail either (userFacingMessage).
        throw error instanceof FetchError && result.nonPublic ? error.asNonPublic() : error;
      }
      const counts = await storeFetchedFeed(this.options.db, feed.id, parsed, result, now, now + intervalMs);
      if (counts.inserted > 0) this.options.onItemsStored?.(feed.id, now);
      return { status: 'updated', ...counts };
    } catch (error) {
      if (!(error instanceof FetchError)) {
        this.options.log.error({ err: error, feedId: feed.id }, 'feed refresh failed');
      }
      const fetchError =
        error instanceof FetchError ? error : new FetchError('network', 'The feed could not be processed.');
      await this.recordFailure(feeds, feed, fetchError, now);
      return { status: 'failed', error: fetchError };
    }
  }

  private async recordFailure(feeds: FeedStore, feed: FeedRecord, error: FetchError, now: number): Promise<void> {
    const errorCount = feed.errorCount + 1;
    // lastError is shown to every subscriber: the generic sentence for a non-public
    // destination (port-scan oracle, decision 0013 §2), the precise reason in the log.
    const message = userFacingMessage(error);
    if (message !== error.message) {
      this.options.log.warn(
        { feedId: feed.id, kind: error.kind, reason: error.message },
        'feed fetch failed at a non-public destination',
      );
    }
    const retryAfter = error.details.retryAfterMs;
    // Retry-After is the server telling us when; otherwise back off further each time.
    const delay =
      retryAfter === undefined
        ? errorBackoffMs(errorCount, this.options.intervalMs)
        : Math.min(retryAfter, MAX_BACKOFF_MS);
    await feeds.recordFailure(feed.id, {
      message,
      errorCount,
      nextFetchAt: now + delay,
      notBefore: retryAfter === undefined ? null : now + retryAfter,
    });
  }
}

/** Bytes of a fetched document to a parsed feed; throws FetchError if it is not one. */
export function parseFetchedFeed(result: Extract<FetchResult, { status: 'ok' }>): ParsedFeed {
  return parseFeedDocument(decodeDocument(result.body, result.contentType), result.url);
}

/** Items and feed status in one transaction: a fetch is stored whole or not at all. */
export async function storeFetchedFeed(
  db: Kysely<ReaderDatabase>,
  feedId: string,
  parsed: ParsedFeed,
  result: Extract<FetchResult, { status: 'ok' }>,
  now: number,
  nextFetchAt: number,
): Promise<{ inserted: number; updated: number }> {
  const items = prepareItems(parsed.items, now);
  return db.transaction().execute(async (trx) => {
    const counts = await ingestItems(trx, feedId, items, now);
    await new FeedStore(trx).recordFetched(
      feedId,
      { title: parsed.title, siteUrl: parsed.siteUrl, etag: result.etag, lastModified: result.lastModified },
      now,
      nextFetchAt,
    );
    return counts;
  });
}
