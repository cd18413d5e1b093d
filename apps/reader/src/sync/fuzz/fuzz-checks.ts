/** State snapshots and the checks every answer must pass: status, dialect, no change, no leak. */

import type { Selectable } from 'kysely';
import { fetch } from 'undici';
import { expect } from 'vitest';
import type { ReaderDatabase } from '../../db/schema.js';
import type { SyncRequest } from './fuzz-types.js';
import type { Answer, FuzzWire } from './fuzz-wire.js';
import type { FuzzWorld } from './fuzz-world.js';

/** Outcomes the fuzz reached: a run that never got past the credential checks proves little. */
const reached = new Set<string>();

interface State {
  states: Selectable<ReaderDatabase['item_states']>[];
  subscriptions: Selectable<ReaderDatabase['subscriptions']>[];
  folders: Selectable<ReaderDatabase['folders']>[];
  feeds: Selectable<ReaderDatabase['feeds']>[];
}

/** Everything a sync request could change, for both users (and the shared feed rows). */
async function snapshot({ server, seeds }: FuzzWorld): Promise<State> {
  const db = server.reader.db;
  const users = seeds.users.map((user) => user.userId);
  return {
    states: await db
      .selectFrom('item_states')
      .selectAll()
      .where('user_id', 'in', users)
      .orderBy('user_id')
      .orderBy('item_id')
      .execute(),
    subscriptions: await db
      .selectFrom('subscriptions')
      .selectAll()
      .where('user_id', 'in', users)
      .orderBy('id')
      .execute(),
    folders: await db.selectFrom('folders').selectAll().where('user_id', 'in', users).orderBy('id').execute(),
    feeds: await db.selectFrom('feeds').selectAll().orderBy('id').execute(),
  };
}

function ofUser(state: State, userId: string) {
  return {
    states: state.states.filter((row) => row.user_id === userId),
    subscriptions: state.subscriptions.filter((row) => row.user_id === userId),
    folders: state.folders.filter((row) => row.user_id === userId),
  };
}

/** Puts back what an accepted request changed, so every run starts from the same fixtures. */
async function restore({ server, seeds }: FuzzWorld, state: State): Promise<void> {
  const users = seeds.users.map((user) => user.userId);
  await server.reader.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('item_states').where('user_id', 'in', users).execute();
    await trx.deleteFrom('subscriptions').where('user_id', 'in', users).execute();
    await trx.deleteFrom('folders').where('user_id', 'in', users).execute();
    if (state.folders.length > 0) await trx.insertInto('folders').values(state.folders).execute();
    if (state.subscriptions.length > 0) await trx.insertInto('subscriptions').values(state.subscriptions).execute();
    if (state.states.length > 0) await trx.insertInto('item_states').values(state.states).execute();
  });
}

/** Google Reader's error dialect: `Unauthorized`, or an `Error=` line and maybe an `Info=` line. */
const GREADER_ERROR = /^(?:Unauthorized\n|Error=[A-Za-z]+\n(?:Info=[^\n]*\n)?)$/u;
const FEVER_ENDPOINT = /^\/api\/fever\/{0,2}\?/u;

/** What no answer may hold: the data of every user whose credential the request does not carry. */
function leaks({ seeds }: FuzzWorld, hostile: SyncRequest, answer: Answer): string[] {
  return seeds.users
    .filter((_, index) => index !== hostile.actor)
    .flatMap((user) => user.secrets)
    .filter((secret) => answer.text.includes(secret) && !hostile.mentions.some((value) => value.includes(secret)));
}

function checkGreader(hostile: SyncRequest, answer: Answer): void {
  const login = hostile.path.includes('/accounts/ClientLogin');
  // A request line too long for Node's parser gets its 431 before any app code runs.
  if (answer.status >= 400 && hostile.method !== 'HEAD' && answer.status !== 431) {
    expect(answer.contentType, answer.text).toMatch(/^text\/plain/u);
    expect(answer.text).toMatch(GREADER_ERROR);
  }
  if (hostile.actor === null) {
    expect(answer.status, 'no credential, yet not refused').toBeGreaterThanOrEqual(400);
    if (login) expect(answer.text).not.toMatch(/^Auth=|"Auth"/mu);
  } else if (!login && hostile.method === 'POST' && !hostile.editTokenOk) {
    expect(answer.status, 'a POST without its T token').toBeGreaterThanOrEqual(400);
    if (answer.status === 401) expect(answer.badTokenHeader).toBe(true);
  }
}

function checkFever(hostile: SyncRequest, answer: Answer): void {
  // HEAD is GET without the body (Hono's rule): nothing to read in the answer.
  if (hostile.method === 'HEAD') return;
  if (!FEVER_ENDPOINT.test(hostile.path) || !['GET', 'POST'].includes(hostile.method)) {
    if (hostile.method !== 'OPTIONS') expect(answer.status).toBeGreaterThanOrEqual(400);
    return;
  }
  expect(answer.contentType, answer.text).toMatch(/^application\/json/u);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  expect(body.api_version).toBe(3);
  if (hostile.actor === null) {
    // The protocol's refusal: 200 and auth 0, and nothing else (an error for a body it could not read).
    expect(body.auth).toBe(0);
    expect(Object.keys(body).filter((key) => !['api_version', 'auth', 'error'].includes(key))).toEqual([]);
  }
  if (answer.status === 400 && body.auth === 1) expect(typeof body.error).toBe('string');
}

interface ListedItem {
  id: string | number;
  categories?: string[];
  is_read?: number;
  is_saved?: number;
}

interface Listing {
  items?: ListedItem[];
  itemRefs?: { id: string }[];
  unread_item_ids?: string;
  saved_item_ids?: string;
}

const LONG_ID = 'tag:google.com,2005:reader/item/';
const idList = (text: string) =>
  text
    .split(',')
    .filter((id) => id !== '')
    .map(Number)
    .sort((x, y) => x - y);

/**
 * What an answer says about items — which exist for the caller, which are read or starred —
 * checked against the caller's own rows: another user's items, and their marks on the feed
 * both read, must never show through.
 */
function checkListing({ seeds, allItems }: FuzzWorld, hostile: SyncRequest, answer: Answer, state: State): void {
  if (hostile.actor === null || answer.status !== 200 || hostile.method === 'HEAD') return;
  if (!answer.contentType.startsWith('application/json')) return;
  if (/"items"|itemRefs|_item_ids/u.test(answer.text)) reached.add('listing');
  const { userId } = seeds.users[hostile.actor];
  const feeds = new Set(state.subscriptions.filter((row) => row.user_id === userId).map((row) => row.feed_id));
  const visible = allItems.filter((item) => feeds.has(item.feed_id)).map((item) => item.id);
  const rows = new Map(state.states.filter((row) => row.user_id === userId).map((row) => [row.item_id, row]));
  const marks = (id: number) => ({ read: rows.get(id)?.read === 1, starred: rows.get(id)?.starred === 1 });
  const body = JSON.parse(answer.text) as Listing;
  for (const item of body.items ?? []) {
    const id = typeof item.id === 'number' ? item.id : Number.parseInt(item.id.slice(LONG_ID.length), 16);
    expect(visible, 'an item the caller does not read').toContain(id);
    const claimed = item.categories
      ? {
          read: item.categories.some((tag) => tag.endsWith('/state/com.google/read')),
          starred: item.categories.some((tag) => tag.endsWith('/state/com.google/starred')),
        }
      : { read: item.is_read === 1, starred: item.is_saved === 1 };
    expect(claimed, `marks of item ${String(id)}`).toEqual(marks(id));
  }
  for (const ref of body.itemRefs ?? []) expect(visible).toContain(Number(ref.id));
  if (body.unread_item_ids !== undefined) {
    expect(idList(body.unread_item_ids)).toEqual(visible.filter((id) => !marks(id).read));
  }
  if (body.saved_item_ids !== undefined) {
    expect(idList(body.saved_item_ids)).toEqual(visible.filter((id) => marks(id).starred));
  }
}

/** Sends one request and checks every property; state is put back whatever happened. */
export async function attack(
  world: FuzzWorld,
  wire: FuzzWire,
  dialect: 'greader' | 'fever',
  hostile: SyncRequest,
): Promise<void> {
  const { seeds } = world;
  const before = await snapshot(world);
  const answer = await wire.send(hostile);
  const after = await snapshot(world);
  try {
    expect(answer.status, answer.text).toBeLessThan(500);
    // Shared feed rows: no sync request may add, drop or change one.
    expect(after.feeds).toEqual(before.feeds);
    if (answer.status >= 400 || hostile.actor === null) expect(after).toEqual(before);
    for (const [index, user] of seeds.users.entries()) {
      if (index !== hostile.actor) expect(ofUser(after, user.userId)).toEqual(ofUser(before, user.userId));
    }
    expect(leaks(world, hostile, answer)).toEqual([]);
    checkListing(world, hostile, answer, after);
    if (dialect === 'greader') checkGreader(hostile, answer);
    else checkFever(hostile, answer);
  } finally {
    const changed = JSON.stringify(after) !== JSON.stringify(before);
    if (changed) await restore(world, before);
    if (changed) reached.add('accepted write');
    if (hostile.actor === null && (answer.status >= 400 || answer.text.includes('"auth":0')))
      reached.add('refused credential');
    if (hostile.actor !== null && answer.status >= 400 && answer.status !== 401) reached.add('refused input');
  }
}

/** The fuzz reached past every gate, and the server still answers. */
export async function afterwards({ server }: FuzzWorld): Promise<void> {
  expect([...reached].sort()).toEqual(['accepted write', 'listing', 'refused credential', 'refused input']);
  reached.clear();
  const response = await fetch(`${server.origin}/api/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
}
