import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gatehouse, loadConfig, openSqliteStores } from '@gatehouse/core';
import { serve } from '@hono/node-server';
import { createReaderApp } from '../../../apps/reader/src/app.js';
import { openReader } from '../../../apps/reader/src/reader.js';
import { fetch } from 'undici';

/**
 * The sync API as a reader app on a phone meets it, for a user with ITEMS items (half of
 * them read) in FEEDS feeds: Google Reader's `stream/contents` of 1,000 items and
 * `unread-count`, and Fever's `unread_item_ids`, each asked SAMPLES times in a row over
 * HTTP on loopback. The reader runs in this process, on the embedded SQLite default; the
 * figures are latencies (p50/p99) on this machine in this run. Prints one JSON line.
 */
const ITEMS = Number(process.env.BENCH_SYNC_ITEMS ?? '100000');
const FEEDS = 100;
const SAMPLES = Number(process.env.BENCH_SYNC_SAMPLES ?? '40');

const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-sync-'));
const databaseFile = join(dataDir, 'db.sqlite');
const server = serve({ fetch: (request, env) => app.fetch(request, env), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
const config = loadConfig({
  NODE_ENV: 'test',
  GATEHOUSE_SECRET: 'bench-sync-secret-bench-sync-secret-0123456',
  DATABASE_URL: `sqlite:${databaseFile}`,
  GATEHOUSE_DATA_DIR: dataDir,
  PUBLIC_ORIGIN: origin,
  LOG_LEVEL: 'silent',
});
const stores = await openSqliteStores(databaseFile);
const gatehouse = new Gatehouse({ config, stores, passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 } });
await gatehouse.ready();
const reader = await openReader(databaseFile);
const app = createReaderApp({ gatehouse, reader });

const email = 'reader@bench.test';
// The account itself is not under test: made in the store, with no password to sign in with.
const user = { id: randomUUID(), email };
await stores.users.create({
  ...user,
  name: null,
  passwordHash: 'no password: the sync API never asks for it',
  createdAt: Date.now(),
  updatedAt: Date.now(),
  emailVerifiedAt: Date.now(),
});
const { password } = await gatehouse.appPasswords.create(user, { name: 'bench' });
await seed(user.id);

const login = await fetch(`${origin}/api/greader/accounts/ClientLogin`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ Email: email, Passwd: password }).toString(),
});
const token = /Auth=(\S+)/u.exec(await login.text())?.[1];
if (token === undefined) throw new Error(`ClientLogin failed: ${String(login.status)}`);
const greader = { Authorization: `GoogleLogin auth=${token}` };
const feverBody = new URLSearchParams({ api_key: feverKey(password) }).toString();

const streamContents = await latencies(() =>
  fetch(`${origin}/api/greader/reader/api/0/stream/contents/user/-/state/com.google/reading-list?n=1000&output=json`, {
    headers: greader,
  }),
);
const unreadCount = await latencies(() =>
  fetch(`${origin}/api/greader/reader/api/0/unread-count?output=json`, { headers: greader }),
);
const feverUnread = await latencies(() =>
  fetch(`${origin}/api/fever/?api&unread_item_ids`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: feverBody,
  }),
);

server.close();
await reader.close();
await gatehouse.close();
await stores.close();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ items: ITEMS, feeds: FEEDS, samples: SAMPLES, streamContents, unreadCount, feverUnread })}\n`,
);

/** FEEDS feeds the user subscribes to, ITEMS items spread over them, every other one read. */
async function seed(userId: string): Promise<void> {
  const now = Date.now();
  await reader.db.transaction().execute(async (trx) => {
    for (let feed = 0; feed < FEEDS; feed += 1) {
      const feedId = `bench-feed-${String(feed)}`;
      await trx
        .insertInto('feeds')
        .values({
          id: feedId,
          url: `https://feeds.example/${String(feed)}.xml`,
          title: `Feed ${String(feed)}`,
          error_count: 0,
          next_fetch_at: now + 3_600_000,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('subscriptions')
        .values({
          id: `bench-sub-${String(feed)}`,
          user_id: userId,
          feed_id: feedId,
          folder_id: null,
          title: null,
          created_at: now,
        })
        .execute();
    }
    const batch = 500;
    for (let start = 0; start < ITEMS; start += batch) {
      const rows = [];
      for (let n = start; n < Math.min(start + batch, ITEMS); n += 1) {
        rows.push({
          feed_id: `bench-feed-${String(n % FEEDS)}`,
          dedup_key: `item-${String(n)}`,
          url: `https://feeds.example/items/${String(n)}`,
          title: `Item ${String(n)} of a busy feed`,
          author: 'A. Writer',
          content_html: `<p>Paragraph ${String(n)} with <a href="https://feeds.example/">a link</a> and some words to carry.</p>`,
          snippet: `Paragraph ${String(n)} with a link and some words to carry.`,
          content_hash: `hash-${String(n)}`,
          published_at: now - (ITEMS - n) * 60_000,
          fetched_at: now,
        });
      }
      const inserted = await trx.insertInto('items').values(rows).returning('id').execute();
      const read = inserted.filter((_, index) => index % 2 === 0);
      await trx
        .insertInto('item_states')
        .values(read.map(({ id }) => ({ user_id: userId, item_id: id, read: 1, starred: 0, updated_at: now })))
        .execute();
    }
  });
}

function feverKey(appPassword: string): string {
  return createHash('md5').update(`${email}:${appPassword}`).digest('hex');
}

async function latencies(call: () => Promise<{ status: number; text(): Promise<string> }>): Promise<{
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}> {
  const times: number[] = [];
  let bytes = 0;
  for (let n = 0; n < SAMPLES + 3; n += 1) {
    const started = performance.now();
    const response = await call();
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`sync API answered ${String(response.status)}: ${body.slice(0, 200)}`);
    // The first few warm SQLite's page cache and V8's code: a phone syncing every few minutes meets a warm server.
    if (n >= 3) times.push(elapsed);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { p50Ms: at(0.5), p99Ms: at(0.99), bytes };
}
