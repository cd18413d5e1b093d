import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS } from '../feeds/backoff.js';
import { openReader, type Reader } from '../reader.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';

const INTERVAL = 30 * 60_000;
let directory: string;
let fixtures: FixtureFeedServer;
let reader: Reader;
let now: number;
/** The reasons the reader logged: subscribers of an allow-listed (non-public) feed see one generic sentence. */
let logged: string[];
const GENERIC = 'Could not fetch a feed from that address.';

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'gh-'));
  fixtures = await startFixtureFeedServer();
  now = Date.parse('2024-06-01T00:00:00Z');
  logged = [];
  const keep = (fields: object) => {
    if ('reason' in fields) logged.push(String(fields.reason));
  };
  reader = await openReader(join(directory, 'db.sqlite'), {
    log: { info: keep, warn: keep, error: keep },
    clock: () => now,
    fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 },
    fetchIntervalMs: INTERVAL,
  });
});

afterEach(async () => {
  await reader.close();
  await fixtures.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A feed row due now, with subscribers: what OPML import leaves for the scheduler. */
async function addFeed(path: string, users: string[] = ['user-a']): Promise<string> {
  const feed = await reader.feeds.ensure(fixtures.url(path), now, now);
  for (const user of users)
    await reader.subscriptions.create(user, { feedId: feed.id, folderId: null, title: null }, now);
  return feed.id;
}

async function feed(id: string) {
  const record = await reader.feeds.findById(id);
  if (record === undefined) throw new Error('no feed');
  return record;
}

async function itemsOf(feedId: string) {
  return reader.db
    .selectFrom('items')
    .select(['dedup_key', 'title', 'snippet'])
    .where('feed_id', '=', feedId)
    .orderBy('id')
    .execute();
}

function rss(items: string): string {
  return `<rss version="2.0"><channel><title>Changing</title>${items}</channel></rss>`;
}

describe('FeedScheduler.runDue', () => {
  it('fetches a due feed once for all its subscribers, and skips feeds not due or not read', async () => {
    const shared = await addFeed('/rss2.xml', ['user-a', 'user-b', 'user-c']);
    const notDue = await addFeed('/atom.xml');
    await reader.feeds.setNextFetch(notDue, now + 60_000);
    await reader.feeds.ensure(fixtures.url('/feed.json'), now, now);

    expect(await reader.scheduler.runDue()).toBe(1);
    expect(fixtures.requests('/rss2.xml')).toHaveLength(1);
    expect(fixtures.requests('/atom.xml')).toHaveLength(0);
    expect(fixtures.requests('/feed.json')).toHaveLength(0);
    expect(await feed(shared)).toMatchObject({
      title: 'Fixture RSS & Friends',
      lastFetchedAt: now,
      nextFetchAt: now + INTERVAL,
    });
    expect(await itemsOf(shared)).toHaveLength(2);

    // Not due again until the interval has passed (by then the other feed is due too).
    expect(await reader.scheduler.runDue()).toBe(0);
    now += INTERVAL;
    expect(await reader.scheduler.runDue()).toBe(2);
    expect(fixtures.requests('/rss2.xml')).toHaveLength(2);
  });

  it('sends the stored ETag; a 304 changes nothing but lastFetchedAt', async () => {
    const id = await addFeed('/atom.xml');
    await reader.scheduler.runDue();
    const before = await itemsOf(id);
    expect((await feed(id)).etag).toBe('"atom.xml-v1"');

    now += INTERVAL;
    await reader.scheduler.runDue();
    expect(fixtures.requests('/atom.xml').at(-1)?.['if-none-match']).toBe('"atom.xml-v1"');
    expect(await itemsOf(id)).toEqual(before);
    expect(await feed(id)).toMatchObject({ lastFetchedAt: now, nextFetchAt: now + INTERVAL, etag: '"atom.xml-v1"' });
  });

  it('de-duplicates across fetches by guid, then link, then content hash, and updates edited items', async () => {
    let body = rss(`<item><guid>g1</guid><title>One</title><description>first text</description></item>
      <item><link>https://x.example/two</link><title>Two</title></item>
      <item><title>Three</title><description>no guid, no link</description></item>`);
    fixtures.route('/changing.xml', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(body);
    });
    const id = await addFeed('/changing.xml');
    await reader.scheduler.runDue();
    expect((await itemsOf(id)).map((item) => item.dedup_key.split(':')[0])).toEqual(['guid', 'link', 'hash']);

    body = rss(`<item><guid>g1</guid><title>One, edited</title><description>second text</description></item>
      <item><link>https://x.example/two</link><title>Two</title></item>
      <item><title>Three</title><description>no guid, no link</description></item>
      <item><guid>g4</guid><title>Four</title></item>`);
    now += INTERVAL;
    await reader.scheduler.runDue();
    const items = await itemsOf(id);
    expect(items.map((item) => item.title)).toEqual(['One, edited', 'Two', 'Three', 'Four']);
    expect(items[0]?.snippet).toBe('second text');
  });

  it('records an error and backs off exponentially, capped at a day; success resets it', async () => {
    let broken = true;
    fixtures.route('/flaky.xml', (_request, response) => {
      if (broken)
        response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end('<rss><channel><item></channel>');
      else response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('<item><guid>ok</guid></item>'));
    });
    const id = await addFeed('/flaky.xml');
    await reader.scheduler.runDue();
    expect(await feed(id)).toMatchObject({ errorCount: 1, nextFetchAt: now + 2 * INTERVAL, lastFetchedAt: null });
    expect((await feed(id)).lastError).toBe(GENERIC);
    expect(logged.at(-1)).toContain('malformed');

    now = (await feed(id)).nextFetchAt;
    await reader.scheduler.runDue();
    expect(await feed(id)).toMatchObject({ errorCount: 2, nextFetchAt: now + 4 * INTERVAL });

    for (let attempt = 0; attempt < 8; attempt += 1) {
      now = (await feed(id)).nextFetchAt;
      await reader.scheduler.runDue();
    }
    expect((await feed(id)).nextFetchAt - now).toBe(MAX_BACKOFF_MS);

    broken = false;
    now = (await feed(id)).nextFetchAt;
    await reader.scheduler.runDue();
    expect(await feed(id)).toMatchObject({
      errorCount: 0,
      lastError: null,
      lastFetchedAt: now,
      nextFetchAt: now + INTERVAL,
    });
  });

  it('honours Retry-After of a 429 and remembers it as a floor for "refresh now"', async () => {
    const id = await addFeed('/rate-limited.xml');
    await reader.scheduler.runDue();
    expect(await feed(id)).toMatchObject({ nextFetchAt: now + 7_200_000, notBefore: now + 7_200_000, errorCount: 1 });
    expect((await feed(id)).lastError).toBe(GENERIC);
    expect(logged.at(-1)).toContain('429');
  });

  it('backs off on a 503 without Retry-After', async () => {
    const id = await addFeed('/unavailable.xml');
    await reader.scheduler.runDue();
    expect(await feed(id)).toMatchObject({ nextFetchAt: now + 2 * INTERVAL, notBefore: null });
  });

  it('runs at most 4 fetches at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const waiting: ServerResponse[] = [];
    const release = () => {
      // Answer everything waiting once the workers have filled up (or all feeds are in).
      for (const response of waiting.splice(0)) {
        inFlight -= 1;
        response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss(''));
      }
    };
    for (let n = 0; n < 7; n += 1) {
      fixtures.route(`/parallel-${String(n)}.xml`, (_request, response) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        waiting.push(response);
        if (waiting.length === 4 || fixtures.requests(`/parallel-6.xml`).length > 0) release();
      });
      await addFeed(`/parallel-${String(n)}.xml`);
    }
    expect(await reader.scheduler.runDue()).toBe(7);
    expect(maxInFlight).toBe(4);
  });

  it('stop() waits for the fetch in flight to be stored', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let answer: () => void = () => undefined;
    fixtures.route('/held.xml', (_request, response) => {
      answer = () =>
        response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('<item><guid>h</guid></item>'));
      arrived();
    });
    const id = await addFeed('/held.xml');
    const pass = reader.scheduler.runDue();
    await requestArrived;
    let stopped = false;
    const stopping = reader.scheduler.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    answer();
    await stopping;
    expect(await pass).toBe(1);
    expect((await feed(id)).lastFetchedAt).toBe(now);
    expect(await itemsOf(id)).toHaveLength(1);
    // Once stopped, it takes no more work.
    now += INTERVAL;
    expect(await reader.scheduler.runDue()).toBe(0);
  });

  it('start() runs a pass at once, wake() runs another, and stop() ends both', async () => {
    const id = await addFeed('/rss2.xml');
    reader.scheduler.start();
    // Passes run one after another: this one starts after the pass start() began.
    await reader.scheduler.runDue();
    expect(fixtures.requests('/rss2.xml')).toHaveLength(1);
    now += INTERVAL;
    reader.scheduler.wake();
    await reader.scheduler.runDue();
    expect(fixtures.requests('/rss2.xml')).toHaveLength(2);
    expect((await feed(id)).lastFetchedAt).toBe(now);
    await reader.scheduler.stop();
    now += INTERVAL;
    reader.scheduler.wake();
    expect(await reader.scheduler.runDue()).toBe(0);
  });

  it('lets only one of two claims on a due feed win', async () => {
    const id = await addFeed('/rss2.xml');
    expect(await reader.feeds.claim(id, now, now + 60_000)).toBe(true);
    expect(await reader.feeds.claim(id, now, now + 60_000)).toBe(false);
  });
});
