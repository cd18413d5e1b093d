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
import { FeedRefresher } from './service/feed-refresher.js';
import { FeedScheduler } from './service/feed-scheduler.js';
import { silentLog, type ReaderLog } from './service/log.js';
import { Subscriber } from './service/subscriber.js';

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
  readonly scheduler: FeedScheduler;
  readonly subscriber: Subscriber;
  readonly log: ReaderLog;

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
    const refresher = new FeedRefresher({
      db: this.db,
      fetcher: this.fetcher,
      clock: this.clock,
      intervalMs: fetchIntervalMs,
      log: this.log,
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
    this.subscriber = new Subscriber(this.db, this.fetcher, this.clock, fetchIntervalMs);
  }

  /** Stops the scheduler (waiting for fetches in flight), then closes connections. */
  async close(): Promise<void> {
    await this.scheduler.stop();
    await this.fetcher.close();
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
