import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { FeedsTable, ReaderDatabase } from './schema.js';

export interface FeedRecord {
  id: string;
  url: string;
  title: string | null;
  siteUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: number | null;
  lastError: string | null;
  errorCount: number;
  nextFetchAt: number;
  notBefore: number | null;
}

export function toFeedRecord(row: Selectable<FeedsTable>): FeedRecord {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    siteUrl: row.site_url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastFetchedAt: row.last_fetched_at,
    lastError: row.last_error,
    errorCount: row.error_count,
    nextFetchAt: row.next_fetch_at,
    notBefore: row.not_before,
  };
}

export interface FetchedFeedFacts {
  title: string | null;
  siteUrl: string | null;
  etag: string | null;
  lastModified: string | null;
}

/** The shared feeds: one row per URL, whatever the number of subscribers. */
export class FeedStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async findByUrl(url: string): Promise<FeedRecord | undefined> {
    const row = await this.db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirst();
    return row && toFeedRecord(row);
  }

  async findById(id: string): Promise<FeedRecord | undefined> {
    const row = await this.db.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toFeedRecord(row);
  }

  /** The feed for `url`, created if new; two users adding it at once still get one row. */
  async ensure(url: string, now: number, nextFetchAt: number): Promise<FeedRecord> {
    await this.db
      .insertInto('feeds')
      .values({ id: randomUUID(), url, next_fetch_at: nextFetchAt, error_count: 0, created_at: now })
      .onConflict((oc) => oc.column('url').doNothing())
      .execute();
    const feed = await this.findByUrl(url);
    if (feed === undefined) throw new Error('reader store: feed vanished after insert');
    return feed;
  }

  /** Feeds due for a fetch that someone still reads, oldest due first. */
  async listDue(now: number, limit: number): Promise<FeedRecord[]> {
    const rows = await this.db
      .selectFrom('feeds')
      .selectAll()
      .where('next_fetch_at', '<=', now)
      .where((eb) =>
        eb.exists(eb.selectFrom('subscriptions').select('id').whereRef('subscriptions.feed_id', '=', 'feeds.id')),
      )
      .orderBy('next_fetch_at')
      .limit(limit)
      .execute();
    return rows.map(toFeedRecord);
  }

  /**
   * Takes the feed for one fetch by moving its next fetch past the lease, only if it is
   * still due: of two schedulers (or a scheduler and "refresh now"), one wins.
   */
  async claim(feedId: string, now: number, leaseUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('feeds')
      .set({ next_fetch_at: leaseUntil })
      .where('id', '=', feedId)
      .where('next_fetch_at', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async recordFetched(feedId: string, facts: FetchedFeedFacts, now: number, nextFetchAt: number): Promise<void> {
    await this.db
      .updateTable('feeds')
      .set({
        title: facts.title,
        site_url: facts.siteUrl,
        etag: facts.etag,
        last_modified: facts.lastModified,
        last_fetched_at: now,
        last_error: null,
        error_count: 0,
        next_fetch_at: nextFetchAt,
        not_before: null,
      })
      .where('id', '=', feedId)
      .execute();
  }

  /** 304 Not Modified: nothing changes but the time we last heard from it. */
  async recordNotModified(feedId: string, now: number, nextFetchAt: number): Promise<void> {
    await this.db
      .updateTable('feeds')
      .set({ last_fetched_at: now, last_error: null, error_count: 0, next_fetch_at: nextFetchAt, not_before: null })
      .where('id', '=', feedId)
      .execute();
  }

  async recordFailure(
    feedId: string,
    failure: { message: string; errorCount: number; nextFetchAt: number; notBefore: number | null },
  ): Promise<void> {
    await this.db
      .updateTable('feeds')
      .set({
        last_error: failure.message,
        error_count: failure.errorCount,
        next_fetch_at: failure.nextFetchAt,
        not_before: failure.notBefore,
      })
      .where('id', '=', feedId)
      .execute();
  }

  async setNextFetch(feedId: string, nextFetchAt: number): Promise<void> {
    await this.db.updateTable('feeds').set({ next_fetch_at: nextFetchAt }).where('id', '=', feedId).execute();
  }
}
