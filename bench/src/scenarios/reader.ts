import { runToCompletion, startServer } from '../processes.js';
import type { BenchResults } from '../results.js';

const SECTION = 'Reader throughput';

interface ParseRate {
  feedBytes: number;
  items: number;
  parsedItemsPerSecond: number;
  parsedMegabytesPerSecond: number;
  preparedItemsPerSecond: number;
}

interface Poll {
  feeds: number;
  fetched: number;
  failedFeeds: number;
  itemsStored: number;
  seconds: number;
  itemsPerSecond: number;
  feedsPerSecond: number;
  peakRssBytes: number;
}

interface Latency {
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

interface SyncApi {
  items: number;
  feeds: number;
  samples: number;
  streamContents: Latency;
  unreadCount: Latency;
  feverUnread: Latency;
}

/**
 * The reader's feed pipeline, each part in its own process: parsing one large feed, and
 * polling 1,000 feeds from a fixture server that runs in yet another process. These have
 * no HTTP baseline to divide by; they are absolute rates on this machine in this run.
 */
export async function runReader(): Promise<BenchResults> {
  const results: BenchResults = { throughput: [], figures: [] };
  const figure = (name: string, value: string, note?: string) =>
    results.figures.push({ section: SECTION, figure: name, value, ...(note === undefined ? {} : { note }) });

  const parse = await runToCompletion<ParseRate>('src/reader/parse-rate.ts');
  const megabytes = (parse.feedBytes / 1e6).toFixed(1);
  figure(
    `parse one ${megabytes} MB RSS feed (${String(parse.items)} items), feedsmith`,
    `${parse.parsedItemsPerSecond.toFixed(0)} items/s (${parse.parsedMegabytesPerSecond.toFixed(1)} MB/s)`,
  );
  figure(
    'prepare those items for storage (sanitize-html, text, hash)',
    `${parse.preparedItemsPerSecond.toFixed(0)} items/s`,
  );

  const fixture = await startServer('src/reader/feed-fixture-server.ts');
  if (!fixture.ok) throw new Error(`fixture server: ${fixture.unavailable}`);
  try {
    const poll = await runToCompletion<Poll>('src/reader/poll-feeds.ts', {
      BENCH_FIXTURE_ORIGIN: fixture.server.origin,
    });
    figure(
      `poll ${String(poll.feeds)} feeds (fetch, parse, sanitize, store; concurrency 4)`,
      `${poll.itemsPerSecond.toFixed(0)} items stored/s, ${poll.feedsPerSecond.toFixed(1)} feeds/s`,
      `${String(poll.itemsStored)} items in ${poll.seconds.toFixed(1)} s; ${String(poll.failedFeeds)} feeds failed`,
    );
    figure(`poll ${String(poll.feeds)} feeds: peak memory (RSS)`, `${(poll.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await fixture.server.stop();
  }

  const sync = await runToCompletion<SyncApi>('src/reader/sync-api.ts');
  const user = `a user with ${sync.items.toLocaleString('en')} items in ${String(sync.feeds)} feeds, half read`;
  const latency = (name: string, measured: Latency) =>
    figure(
      name,
      `p50 ${measured.p50Ms.toFixed(1)} ms, p99 ${measured.p99Ms.toFixed(1)} ms`,
      `${user}; ${String(sync.samples)} requests in a row; ${(measured.bytes / 1024).toFixed(0)} KiB per answer`,
    );
  latency('Google Reader API: stream/contents, 1,000 items', sync.streamContents);
  latency('Google Reader API: unread-count', sync.unreadCount);
  latency('Fever API: unread_item_ids', sync.feverUnread);
  return results;
}
