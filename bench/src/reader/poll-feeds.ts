import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { FeedStore } from '../../../apps/reader/src/db/feed-store.js';
import { migrateReaderDatabase } from '../../../apps/reader/src/db/migrate.js';
import { openReaderDatabase } from '../../../apps/reader/src/db/open-database.js';
import { SubscriptionStore } from '../../../apps/reader/src/db/subscription-store.js';
import { FeedFetcher } from '../../../apps/reader/src/feeds/fetcher.js';
import { FeedRefresher } from '../../../apps/reader/src/service/feed-refresher.js';
import { FeedScheduler } from '../../../apps/reader/src/service/feed-scheduler.js';
import { silentLog } from '../../../apps/reader/src/service/log.js';

/**
 * Reader throughput, part 2: one poll of FEEDS feeds from the fixture server (another
 * process), through the reader's own scheduler, fetcher, parser, sanitizer and SQLite
 * store, with the reader's default concurrency and batch size. Prints one JSON line.
 */
const FEEDS = Number(process.env.BENCH_FEEDS ?? '1000');
const fixtureOrigin = process.env.BENCH_FIXTURE_ORIGIN;
if (fixtureOrigin === undefined) throw new Error('BENCH_FIXTURE_ORIGIN is not set');

const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-reader-'));
const db = openReaderDatabase(join(dataDir, 'reader.sqlite'));
await migrateReaderDatabase(db as never);
const feeds = new FeedStore(db);
const subscriptions = new SubscriptionStore(db);
const now = Date.now();
for (let feed = 0; feed < FEEDS; feed += 1) {
  const record = await feeds.ensure(`${fixtureOrigin}/feeds/${String(feed)}.xml`, now, now);
  await subscriptions.create('bench-user', { feedId: record.id, folderId: null, title: null }, now);
}

// The fixture server is on loopback, which the reader refuses unless allowed by name.
const fetcher = new FeedFetcher({ allowHosts: [new URL(fixtureOrigin).host] });
const refresher = new FeedRefresher({ db, fetcher, clock: Date.now, intervalMs: 3_600_000, log: silentLog });
const scheduler = new FeedScheduler({
  feeds,
  refresher,
  clock: Date.now,
  concurrency: 4,
  pollIntervalMs: 30_000,
  leaseMs: 600_000,
  batchSize: 100,
  log: silentLog,
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const started = performance.now();
let fetched = 0;
for (let passed = await scheduler.runDue(); passed > 0; passed = await scheduler.runDue()) fetched += passed;
const elapsedMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const items = await sql<{ count: number }>`select count(*) as count from items`.execute(db);
const failed = await sql<{ count: number }>`select count(*) as count from feeds where last_error is not null`.execute(
  db,
);
const stored = items.rows[0]?.count ?? 0;
await fetcher.close();
await db.destroy();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    feeds: FEEDS,
    fetched,
    failedFeeds: failed.rows[0]?.count ?? 0,
    itemsStored: stored,
    seconds: elapsedMs / 1000,
    itemsPerSecond: (stored * 1000) / elapsedMs,
    feedsPerSecond: (fetched * 1000) / elapsedMs,
    peakRssBytes: peakRss,
  })}\n`,
);
