import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
/** Users whose deletion the app's own hook refuses: stands in for a hook that fails midway. */
const refusedUsers = new Set<string>();

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host] } });
  server.gatehouse.onAccountDeletion(({ userId }) => {
    if (refusedUsers.has(userId)) return Promise.reject(new Error('the app could not delete its data'));
    return Promise.resolve();
  });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

/** A user with a folder, a subscription in it, and one item read and one starred. */
async function readerWithData(): Promise<{ browser: TestBrowser; userId: string }> {
  const browser = new TestBrowser(server.origin);
  const signup = await browser.signup(uniqueEmail('deleted'), GOOD_PASSWORD);
  expect(signup.status).toBe(201);
  const { user } = (await signup.json()) as { user: { id: string } };
  const folder = (await (await browser.request('POST', '/api/folders', { json: { name: 'News' } })).json()) as {
    folder: { id: string };
  };
  const subscribed = await browser.request('POST', '/api/subscriptions', {
    json: { url: fixtures.url('/rss2.xml'), folderId: folder.folder.id },
  });
  expect(subscribed.status).toBe(201);
  const page = (await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] };
  const [first, second] = page.items;
  expect(second).toBeDefined();
  await browser.request('PATCH', `/api/items/${first?.id ?? ''}`, { json: { read: true } });
  await browser.request('PATCH', `/api/items/${second?.id ?? ''}`, { json: { starred: true } });
  return { browser, userId: user.id };
}

function readerRows(userId: string): Record<string, number> {
  const db = new SQLite(server.databaseFile, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table} where user_id = ?`).get(userId) as { n: number }).n;
    const users = (db.prepare('select count(*) as n from users where id = ?').get(userId) as { n: number }).n;
    return {
      users,
      folders: count('folders'),
      subscriptions: count('subscriptions'),
      item_states: count('item_states'),
    };
  } finally {
    db.close();
  }
}

describe('deleting an account deletes the reader data with it', () => {
  it('removes the user’s folders, subscriptions and read/starred state, and leaves other users’ alone', async () => {
    const victim = await readerWithData();
    const bystander = await readerWithData();
    expect(readerRows(victim.userId)).toMatchObject({ users: 1, folders: 1, subscriptions: 1, item_states: 2 });

    const deleted = await victim.browser.request('DELETE', '/api/auth/account');
    expect(deleted.status).toBe(204);

    expect(readerRows(victim.userId)).toEqual({ users: 0, folders: 0, subscriptions: 0, item_states: 0 });
    expect(readerRows(bystander.userId)).toEqual({ users: 1, folders: 1, subscriptions: 1, item_states: 2 });
    // The feed is shared: the other subscriber still reads it.
    expect((await bystander.browser.request('GET', '/api/items')).status).toBe(200);
    expect((await victim.browser.request('GET', '/api/folders')).status).toBe(401);
  });

  it('deletes nothing at all when the app’s hook fails: one transaction', async () => {
    const victim = await readerWithData();
    refusedUsers.add(victim.userId);
    const deleted = await victim.browser.request('DELETE', '/api/auth/account');
    expect(deleted.status).toBe(500);
    expect(readerRows(victim.userId)).toEqual({ users: 1, folders: 1, subscriptions: 1, item_states: 2 });
    expect((await victim.browser.request('GET', '/api/folders')).status).toBe(200);
  });
});
