import type { Kysely } from 'kysely';
import type { Clock } from '@gatehouse/core';
import { loadCatalogue, type Catalogue } from './catalogue/catalogue.js';
import { FeedStore } from './db/feed-store.js';
import { FolderStore } from './db/folder-store.js';
import { ItemStore } from './db/item-store.js';
import { migrateReaderDatabase } from './db/migrate.js';
import { openReaderDatabase } from './db/open-database.js';
import type { ReaderDatabase } from './db/schema.js';
import { SubscriptionStore } from './db/subscription-store.js';
import { DEFAULT_FETCH_INTERVAL_MS } from './feeds/backoff.js';
import { HostAllowList, type FetchPolicy } from './feeds/fetch-policy.js';
import { FeedFetcher } from './feeds/fetcher.js';
import { FilterRuleStore } from './filters/filter-rule-store.js';
import { FullTextService } from './fulltext/full-text-service.js';
import { MediaProxy, type MediaProxyOptions } from './media/media-proxy.js';
import { MediaUrls } from './media/media-urls.js';
import { PreferenceStore } from './preferences/preference-store.js';
import { FeedRefresher } from './service/feed-refresher.js';
import { FeedScheduler } from './service/feed-scheduler.js';
import { silentLog, type ReaderLog } from './service/log.js';
import { Subscriber } from './service/subscriber.js';
import { TagStore } from './tags/tag-store.js';

export interface ReaderOptions {
  db: Kysely<ReaderDatabase>;
  fetchPolicy?: Partial<FetchPolicy>;
  catalogue?: Catalogue;
  clock?: Clock;
  /** Time between two fetches of a healthy feed; 30 minutes. */
  fetchIntervalMs?: number;
  /** Fetches at once; 4. */
  concurrency?: number;
  /** How often the scheduler looks for due feeds; 30 seconds. */
  pollIntervalMs?: number;
  log?: ReaderLog;
  /**
   * The media proxy (needs GATEHOUSE_SECRET); its fetches use the feed fetcher's allow-list.
   * Without it no image is proxied: http images are asked for over https (mode `none`).
   */
  media?: Omit<MediaProxyOptions, 'log'>;
}

/** The reader's server side, wired: stores, fetcher, scheduler and subscribe flow. */
export class Reader {
  readonly db: Kysely<ReaderDatabase>;
  readonly clock: Clock;
  readonly catalogue: Catalogue;
  readonly fetcher: FeedFetcher;
  readonly allowList: HostAllowList;
  readonly feeds: FeedStore;
  readonly folders: FolderStore;
  readonly subscriptions: SubscriptionStore;
  readonly items: ItemStore;
  /** Filter rules: hide, keep only, auto-star, mark read (filters/). */
  readonly filters: FilterRuleStore;
  /** The user's own labels on items (tags/). */
  readonly tags: TagStore;
  readonly preferences: PreferenceStore;
  /** Articles extracted from items' pages (per-subscription switch, and one item on demand). */
  readonly fullText: FullTextService;
  readonly scheduler: FeedScheduler;
  readonly subscriber: Subscriber;
  readonly log: ReaderLog;
  readonly mediaProxy: MediaProxy | undefined;
  /** What each image URL from a feed becomes when an article is served. */
  readonly mediaUrls: MediaUrls;

  constructor(options: ReaderOptions) {
    const fetchIntervalMs = options.fetchIntervalMs ?? DEFAULT_FETCH_INTERVAL_MS;
    this.db = options.db;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLog;
    this.catalogue = options.catalogue ?? loadCatalogue(undefined);
    this.fetcher = new FeedFetcher(options.fetchPolicy);
    this.allowList = new HostAllowList(this.fetcher.policy.allowHosts);
    this.feeds = new FeedStore(this.db);
    this.folders = new FolderStore(this.db);
    this.subscriptions = new SubscriptionStore(this.db);
    this.items = new ItemStore(this.db);
    this.filters = new FilterRuleStore(this.db);
    this.tags = new TagStore(this.db);
    this.preferences = new PreferenceStore(this.db);
    this.fullText = new FullTextService({
      db: this.db,
      fetchPolicy: this.fetcher.policy,
      clock: this.clock,
      log: this.log,
    });
    const refresher = new FeedRefresher({
      db: this.db,
      fetcher: this.fetcher,
      clock: this.clock,
      intervalMs: fetchIntervalMs,
      log: this.log,
      onItemsStored: (feedId, storedAt) => {
        this.fullText.afterIngest(feedId, storedAt);
      },
    });
    this.scheduler = new FeedScheduler({
      feeds: this.feeds,
      refresher,
      clock: this.clock,
      concurrency: options.concurrency ?? 4,
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      // Longer than any fetch can take (the fetch deadline), so a lease never expires mid-fetch.
      leaseMs: Math.max(10 * 60_000, this.fetcher.policy.timeoutMs * 4),
      batchSize: 100,
      log: this.log,
    });
    this.mediaProxy =
      options.media &&
      new MediaProxy({
        ...options.media,
        fetchPolicy: { allowHosts: this.fetcher.policy.allowHosts, ...options.media.fetchPolicy },
        log: this.log,
      });
    this.mediaUrls = this.mediaProxy?.urls ?? MediaUrls.off();
    this.subscriber = new Subscriber(this.db, this.fetcher, this.clock, fetchIntervalMs);
  }

  /** Stops the scheduler (waiting for fetches in flight), then closes connections. */
  async close(): Promise<void> {
    await this.scheduler.stop();
    await this.fullText.close();
    await this.fetcher.close();
    await this.mediaProxy?.close();
    await this.db.destroy();
  }
}

/** Opens the reader's tables in the SQLite file Gatehouse uses, migrated to the latest. */
export async function openReader(filename: string, options: Omit<ReaderOptions, 'db'> = {}): Promise<Reader> {
  const db = openReaderDatabase(filename);
  try {
    await migrateReaderDatabase(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new Reader({ ...options, db });
}
