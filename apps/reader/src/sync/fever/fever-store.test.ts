import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend, type TestDatabase } from '../../../../../test-support/test-backend.js';
import { ItemStore } from '../../db/item-store.js';
import { migrateReaderDatabase } from '../../db/migrate.js';
import { openReaderDatabase } from '../../db/open-database.js';
import type { ReaderDatabase } from '../../db/schema.js';
import { FeverQueries } from './fever-queries.js';
import { applyMark, type FeverMarker } from './mark.js';
import { SyncNumbers } from './sync-numbers.js';
import { toInteger } from './sql-integer.js';

// The Fever queries, marks and numbers on the backend the run asks for: SQLite by default,
// PostgreSQL with GATEHOUSE_TEST_BACKEND=postgres (the reader serves HTTP from SQLite only
// for now, so this is where the migration and the SQL meet PostgreSQL).

const backend = testBackend() === 'sqlite' ? 'sqlite' : 'postgres';
let database: TestDatabase;
let db: Kysely<ReaderDatabase>;
let queries: FeverQueries;
let numbers: SyncNumbers;
let marker: FeverMarker;
const probes: Kysely<ReaderDatabase>[] = [];

beforeEach(async () => {
  database = await createTestDatabase({ backend });
  db = backend === 'sqlite' ? openReaderDatabase(database.location) : connect();
  await migrateReaderDatabase(db as Kysely<unknown>);
  queries = new FeverQueries(db);
  numbers = new SyncNumbers(db);
  marker = { db, items: new ItemStore(db), numbers };
});

/** A connection to this test's database; `log` sees every statement it executes. */
function connect(log?: (event: LogEvent) => void): Kysely<ReaderDatabase> {
  const dialect =
    backend === 'sqlite'
      ? new SqliteDialect({ database: new SQLite(database.location) })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.env.DATABASE_URL, max: 4 }) });
  return new Kysely<ReaderDatabase>({ dialect, ...(log ? { log } : {}) });
}

afterEach(async () => {
  for (const probe of probes.splice(0)) await probe.destroy();
  await db.destroy();
  await database.drop();
});

const HOUR = 3_600_000;
const T0 = Date.parse('2024-06-01T12:00:00Z');

async function feed(id: string, lastFetchedAt: number | null = T0): Promise<void> {
  await db
    .insertInto('feeds')
    .values({
      id,
      url: `https://${id}.example/feed`,
      next_fetch_at: 0,
      error_count: 0,
      created_at: 0,
      last_fetched_at: lastFetchedAt,
    })
    .execute();
}

async function subscribe(userId: string, feedId: string, folderId: string | null = null): Promise<void> {
  await db
    .insertInto('subscriptions')
    .values({
      id: `${userId}-${feedId}`,
      user_id: userId,
      feed_id: feedId,
      folder_id: folderId,
      title: null,
      created_at: 0,
    })
    .execute();
}

/** Items of a feed, `count` of them, fetched at `fetchedAt`; returns their ids. */
async function items(feedId: string, count: number, fetchedAt = T0): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, n) => ({
      feed_id: feedId,
      dedup_key: `${feedId}-${String(fetchedAt)}-${String(start + n)}`,
      url: null,
      title: `Item ${String(start + n)}`,
      author: null,
      content_html: '<p>x</p>',
      snippet: 'x',
      content_hash: 'h',
      published_at: fetchedAt - HOUR,
      fetched_at: fetchedAt,
    }));
    const inserted = await db.insertInto('items').values(rows).returning('id').execute();
    ids.push(...inserted.map((row) => toInteger(row.id)));
  }
  return ids;
}

/** A second connection that counts the statements sent through it. */
function counting(): { db: Kysely<ReaderDatabase>; count: () => number } {
  let statements = 0;
  const counted = connect(() => {
    statements += 1;
  });
  probes.push(counted);
  return { db: counted, count: () => statements };
}

describe(`sync numbers (${backend})`, () => {
  it('gives each ref one positive number, the same every time, per kind', async () => {
    const first = await numbers.numbersFor('feed', ['a', 'b', 'a']);
    expect([...first.keys()].sort()).toEqual(['a', 'b']);
    expect([...first.values()].every((number) => Number.isSafeInteger(number) && number > 0)).toBe(true);
    expect(new Set(first.values()).size).toBe(2);
    expect(await numbers.numbersFor('feed', ['b', 'a'])).toEqual(first);
    // A folder whose id happens to equal a feed id is another thing, with another number.
    const folder = await numbers.numbersFor('folder', ['a']);
    expect(folder.get('a')).not.toBe(first.get('a'));
    expect(await numbers.refOf('feed', first.get('a') ?? 0)).toBe('a');
    expect(await numbers.refOf('folder', first.get('a') ?? 0)).toBeUndefined();
    expect(await numbers.refOf('feed', 987654)).toBeUndefined();
  });

  it('numbers more refs than one statement may bind, and asking again burns no numbers', async () => {
    const refs = Array.from({ length: 1203 }, (_, n) => `feed-${String(n)}`);
    const all = await numbers.numbersFor('feed', refs);
    expect(new Set(all.values()).size).toBe(1203);
    expect(await numbers.numbersFor('feed', refs)).toEqual(all);
    // Only the missing are inserted, so the sequence moved by exactly one for the new ref.
    const next = (await numbers.numbersFor('feed', ['one-more'])).get('one-more');
    expect(next).toBe(Math.max(...all.values()) + 1);
  });

  it('agrees with itself when two requests number the same refs at once', async () => {
    const refs = Array.from({ length: 50 }, (_, n) => `shared-${String(n)}`);
    const [one, two] = await Promise.all([numbers.numbersFor('feed', refs), numbers.numbersFor('feed', refs)]);
    expect(two).toEqual(one);
  });

  it('never hands out a number again, even after its row is gone', async () => {
    const old = (await numbers.numbersFor('folder', ['gone'])).get('gone') ?? 0;
    await db.deleteFrom('sync_numbers').where('id', '=', old).execute();
    const fresh = (await numbers.numbersFor('folder', ['new'])).get('new') ?? 0;
    expect(fresh).toBeGreaterThan(old);
  });
});

describe(`Fever queries and marks (${backend})`, () => {
  async function world() {
    await feed('f1');
    await feed('f2', T0 + HOUR);
    await feed('f3');
    await db.insertInto('folders').values({ id: 'fa', user_id: 'alice', name: 'News', created_at: 0 }).execute();
    await subscribe('alice', 'f1', 'fa');
    await subscribe('alice', 'f2');
    await subscribe('bob', 'f1');
    await subscribe('bob', 'f3');
    return { f1: await items('f1', 3), f2: await items('f2', 2), f3: await items('f3', 1) };
  }

  it('shows a user only the items of feeds they subscribe to', async () => {
    const { f1, f2 } = await world();
    expect(await queries.totalItems('alice')).toBe(5);
    expect(await queries.unreadItemIds('alice')).toEqual([...f1, ...f2]);
    expect(await queries.lastRefreshedAt('alice')).toBe(T0 + HOUR);
    expect(await queries.lastRefreshedAt('nobody')).toBeUndefined();
    const page = await queries.items('alice', { kind: 'since', id: 0 });
    expect(page.map((item) => item.id)).toEqual([...f1, ...f2]);
    expect(page[0]).toMatchObject({ feedId: 'f1', read: false, starred: false, publishedAt: T0 - HOUR });
    expect((await queries.items('alice', { kind: 'max', id: f2[0] })).map((item) => item.id)).toEqual(
      [...f1].reverse(),
    );
  });

  it('marks an item read, saved, unread and unsaved, and only a visible one', async () => {
    const { f1, f3 } = await world();
    const [item = 0] = f1;
    expect(await applyMark(marker, 'alice', { target: 'item', id: item, as: 'saved' }, T0)).toEqual({ ok: true });
    expect(await applyMark(marker, 'alice', { target: 'item', id: item, as: 'read' }, T0)).toEqual({ ok: true });
    expect(await queries.savedItemIds('alice')).toEqual([item]);
    expect(await queries.unreadItemIds('alice')).not.toContain(item);
    await applyMark(marker, 'alice', { target: 'item', id: item, as: 'unsaved' }, T0);
    await applyMark(marker, 'alice', { target: 'item', id: item, as: 'unread' }, T0);
    expect(await queries.savedItemIds('alice')).toEqual([]);
    expect(await queries.unreadItemIds('alice')).toContain(item);
    // Bob's feed f3: for Alice there is no such item.
    const foreign = await applyMark(marker, 'alice', { target: 'item', id: f3[0] ?? 0, as: 'read' }, T0);
    expect(foreign).toEqual({ ok: false, error: 'no such item' });
    expect(await queries.unreadItemIds('bob')).toContain(f3[0]);
  });

  it('marks a feed read up to `before` by arrival, keeping saved marks and other users’ state', async () => {
    const { f1 } = await world();
    await applyMark(marker, 'alice', { target: 'item', id: f1[0] ?? 0, as: 'saved' }, T0);
    const later = await items('f1', 2, T0 + 2 * HOUR);
    const [f1Number = 0] = (await numbers.numbersFor('feed', ['f1'])).values();
    const mark = { target: 'feed', id: f1Number, before: (T0 + HOUR) / 1000 } as const;
    expect(await applyMark(marker, 'alice', mark, T0 + 3 * HOUR)).toEqual({ ok: true });
    const unread = await queries.unreadItemIds('alice');
    expect(unread.filter((id) => f1.includes(id))).toEqual([]);
    expect(later.every((id) => unread.includes(id))).toBe(true);
    expect(await queries.savedItemIds('alice')).toEqual([f1[0]]);
    expect(await queries.unreadItemIds('bob')).toEqual(expect.arrayContaining([...f1, ...later]));
  });

  it('marks a group, or everything for group 0, and refuses another user’s feed or folder', async () => {
    const { f1, f2, f3 } = await world();
    const [folder = 0] = (await numbers.numbersFor('folder', ['fa'])).values();
    await applyMark(marker, 'alice', { target: 'group', id: folder, before: undefined }, T0);
    expect(await queries.unreadItemIds('alice')).toEqual(f2);
    await applyMark(marker, 'alice', { target: 'group', id: 0, before: undefined }, T0);
    expect(await queries.unreadItemIds('alice')).toEqual([]);
    const [f3Number = 0] = (await numbers.numbersFor('feed', ['f3'])).values();
    expect(await applyMark(marker, 'alice', { target: 'feed', id: f3Number, before: undefined }, T0)).toEqual({
      ok: false,
      error: 'no such feed',
    });
    await db.insertInto('folders').values({ id: 'fb', user_id: 'bob', name: 'Bob', created_at: 0 }).execute();
    const [bobsFolder = 0] = (await numbers.numbersFor('folder', ['fb'])).values();
    expect(await applyMark(marker, 'alice', { target: 'group', id: bobsFolder, before: undefined }, T0)).toEqual({
      ok: false,
      error: 'no such group',
    });
    expect(await queries.unreadItemIds('bob')).toEqual([...f1, ...f3]);
  });

  it('lists 100,000 unread ids in one statement and marks them all read in one', async () => {
    await feed('big');
    await subscribe('carol', 'big');
    const ids = await items('big', 100_000);
    const probe = counting();
    const probed = new FeverQueries(probe.db);
    expect(await probed.unreadItemIds('carol')).toEqual(ids);
    // One indexed look-up of the user's filter rules (they have none), then the ids.
    expect(probe.count()).toBe(2);
    const store = new ItemStore(probe.db);
    const result = await applyMark(
      { db: probe.db, items: store, numbers: new SyncNumbers(probe.db) },
      'carol',
      { target: 'group', id: 0, before: undefined },
      T0,
    );
    expect(result).toEqual({ ok: true });
    expect(probe.count()).toBe(3);
    expect(await queries.unreadItemIds('carol')).toEqual([]);
    expect(await queries.totalItems('carol')).toBe(100_000);
  });
});
