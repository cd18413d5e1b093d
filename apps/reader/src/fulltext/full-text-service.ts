import type { Kysely } from 'kysely';
import type { Clock } from '@gatehouse/core';
import type { ReaderDatabase } from '../db/schema.js';
import type { FetchPolicy } from '../feeds/fetch-policy.js';
import { FeedFetcher } from '../feeds/fetcher.js';
import type { ReaderLog } from '../service/log.js';
import { BackgroundQueue } from './background-queue.js';
import { fetchArticle, FullTextFailure } from './fetch-article.js';
import { FullTextStore, type FullTextOutcome, type LinkedItem } from './full-text-store.js';

export interface FullTextServiceOptions {
  db: Kysely<ReaderDatabase>;
  /** The feed fetcher's policy (allow-list, size cap, deadline): pages get the same guard. */
  fetchPolicy: FetchPolicy;
  clock: Clock;
  log: ReaderLog;
}

/** Page fetches at once in the background: the feed poll runs beside them. */
const BACKGROUND_CONCURRENCY = 2;
const MAX_WAITING = 500;
/** Items of one feed fetch extracted at most: a feed that suddenly lists 500 items is not 500 page loads. */
const MAX_PER_FETCH = 20;
/** Newest items extracted when a subscriber turns full text on, so the switch shows at once. */
const LATEST_ON_SWITCH = 10;
/** A failed page is asked for again (by a user, never by the background) after this long. */
export const FAILURE_RETRY_MS = 15 * 60_000;

/**
 * Full text: the article behind an item's link, fetched through the SSRF guard, extracted,
 * sanitized and kept once per item. New items of feeds with a full-text subscriber are
 * extracted in the background; users ask for one item with `fetch`.
 */
export class FullTextService {
  readonly store: FullTextStore;
  private readonly fetcher: FeedFetcher;
  private readonly background: BackgroundQueue;
  /** Fetches under way, so two asks for one item (a click and the background) fetch once. */
  private readonly inFlight = new Map<number, Promise<FullTextOutcome>>();

  constructor(private readonly options: FullTextServiceOptions) {
    this.store = new FullTextStore(options.db);
    this.fetcher = new FeedFetcher(options.fetchPolicy);
    this.background = new BackgroundQueue({
      concurrency: BACKGROUND_CONCURRENCY,
      maxWaiting: MAX_WAITING,
      log: options.log,
    });
  }

  /**
   * What is kept for the item and still worth showing: an article, or a failure recent
   * enough not to ask the site again. Undefined means a fetch is needed.
   */
  async cached(item: LinkedItem): Promise<FullTextOutcome | undefined> {
    const stored = await this.store.find(item);
    if (stored === undefined) return undefined;
    if (stored.outcome.status === 'failed' && this.options.clock() - stored.fetchedAt >= FAILURE_RETRY_MS) {
      return undefined;
    }
    return stored.outcome;
  }

  /** The article to show this user in place of the item's feed text, if their subscription wants it. */
  async shownTo(userId: string, item: { id: number; subscriptionId: string; url: string | null }) {
    if (item.url === null) return undefined;
    return this.store.shownTo(userId, item.subscriptionId, { id: item.id, url: item.url });
  }

  /** Fetches and extracts the item's page now, and keeps the outcome. */
  fetch(item: LinkedItem): Promise<FullTextOutcome> {
    const running = this.inFlight.get(item.id);
    if (running !== undefined) return running;
    const outcome = this.fetchAndKeep(item).finally(() => this.inFlight.delete(item.id));
    this.inFlight.set(item.id, outcome);
    return outcome;
  }

  /** After a feed fetch stored new items (at `storedAt`): extract them, if anyone wants it. */
  afterIngest(feedId: string, storedAt: number): void {
    this.background.push(async () => {
      if (!(await this.store.wanted(feedId))) return;
      this.extractInBackground(await this.store.notFetched(feedId, MAX_PER_FETCH, storedAt));
    });
  }

  /** A subscriber turned full text on: extract the feed's newest items not fetched yet. */
  afterSwitchedOn(feedId: string): void {
    this.background.push(async () => {
      this.extractInBackground(await this.store.notFetched(feedId, LATEST_ON_SWITCH));
    });
  }

  /** Resolves when no background extraction runs or waits. */
  idle(): Promise<void> {
    return this.background.idle();
  }

  /** Drops waiting extractions, waits for running ones, closes the connections. */
  async close(): Promise<void> {
    await this.background.close();
    await this.fetcher.close();
  }

  private extractInBackground(items: readonly LinkedItem[]): void {
    for (const item of items) {
      this.background.push(() => this.fetch(item));
    }
  }

  private async fetchAndKeep(item: LinkedItem): Promise<FullTextOutcome> {
    let outcome: FullTextOutcome;
    try {
      const article = await fetchArticle(this.fetcher, item.url);
      outcome = { status: 'ok', contentHtml: article.contentHtml };
    } catch (error) {
      if (!(error instanceof FullTextFailure)) throw error;
      if (error.logMessage !== undefined) {
        this.options.log.warn(
          { itemId: item.id, reason: error.logMessage },
          'full text: page fetch failed at a non-public destination',
        );
      }
      outcome = { status: 'failed', reason: error.reason, message: error.userMessage };
    }
    await this.store.save(item, outcome, this.options.clock());
    return outcome;
  }
}
