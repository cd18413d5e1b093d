import { parseFeedDocument } from '../../../apps/reader/src/feeds/parse-feed.js';
import { prepareItems } from '../../../apps/reader/src/feeds/prepare-items.js';
import { rssFeed } from './feed-fixtures.js';

/**
 * Reader throughput, part 1: how fast one large feed is parsed (feedsmith) and then
 * prepared for storage (sanitized, summarised, keyed). Runs in its own process and prints
 * one JSON line. No store and no network: this is the CPU cost per item.
 */
const ITEMS = 500; // the reader's cap per fetch
const BYTES_PER_ITEM = 7 * 1024; // about 4.5 MB in all: under the fetcher's 5 MiB cap
const SECONDS = 3;

const document = rssFeed(1, ITEMS, BYTES_PER_ITEM);
const url = 'https://site1.example.test/feed.xml';

function repeatFor(seconds: number, work: () => void): { runs: number; elapsedMs: number } {
  const started = performance.now();
  let runs = 0;
  do {
    work();
    runs += 1;
  } while (performance.now() - started < seconds * 1000);
  return { runs, elapsedMs: performance.now() - started };
}

parseFeedDocument(document, url); // warm-up: compile the parser's paths
const parsed = repeatFor(SECONDS / 2, () => {
  if (parseFeedDocument(document, url).items.length !== ITEMS) throw new Error('items lost in parsing');
});
const items = parseFeedDocument(document, url).items;
const prepared = repeatFor(SECONDS / 2, () => {
  if (prepareItems(items, Date.now()).length !== ITEMS) throw new Error('items lost in preparation');
});

const perSecond = (run: { runs: number; elapsedMs: number }) => (run.runs * ITEMS * 1000) / run.elapsedMs;
process.stdout.write(
  `${JSON.stringify({
    feedBytes: Buffer.byteLength(document),
    items: ITEMS,
    parsedItemsPerSecond: perSecond(parsed),
    parsedMegabytesPerSecond: (parsed.runs * Buffer.byteLength(document)) / 1e6 / (parsed.elapsedMs / 1000),
    preparedItemsPerSecond: perSecond(prepared),
  })}\n`,
);
