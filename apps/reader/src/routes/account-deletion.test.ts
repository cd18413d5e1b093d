import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../test-support/app-passwords.js';
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

/**
 * A user with a folder, a subscription in it, one item read and one starred, and an app
 * password a Fever app has synced with (which numbered the folder).
 */
async function readerWithData(): Promise<{ browser: TestBrowser; userId: string; folderId: string }> {
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
  const app = await createAppPassword(browser);
  const fever = await fetch(`${server.origin}/api/fever/?api&groups`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: feverKey(app.feverLogin, app.password) }),
  });
  expect(await fever.json()).toMatchObject({ auth: 1, groups: [{ title: 'News' }] });
  return { browser, userId: user.id, folderId: folder.folder.id };
}

/** What `readerWithData` leaves, counted by `readerRows`. */
const ALL_ROWS = { users: 1, folders: 1, subscriptions: 1, item_states: 2, app_passwords: 1, folder_numbers: 1 };

function readerRows({ userId, folderId }: { userId: string; folderId: string }): Record<string, number> {
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
      app_passwords: count('app_passwords'),
      folder_numbers: (
        db.prepare('select count(*) as n from sync_numbers where ref = ?').get(folderId) as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

describe('deleting an account deletes the reader data with it', () => {
  it('removes the user’s folders, subscriptions and read/starred state, and leaves other users’ alone', async () => {
    const victim = await readerWithData();
    const bystander = await readerWithData();
    expect(readerRows(victim)).toEqual(ALL_ROWS);

    const deleted = await victim.browser.request('DELETE', '/api/auth/account');
    expect(deleted.status).toBe(204);

    const none = { users: 0, folders: 0, subscriptions: 0, item_states: 0, app_passwords: 0, folder_numbers: 0 };
    expect(readerRows(victim)).toEqual(none);
    expect(readerRows(bystander)).toEqual(ALL_ROWS);
    // The feed is shared: the other subscriber still reads it.
    expect((await bystander.browser.request('GET', '/api/items')).status).toBe(200);
    expect((await victim.browser.request('GET', '/api/folders')).status).toBe(401);
  });

  it('deletes nothing at all when the app’s hook fails: one transaction', async () => {
    const victim = await readerWithData();
    refusedUsers.add(victim.userId);
    const deleted = await victim.browser.request('DELETE', '/api/auth/account');
    expect(deleted.status).toBe(500);
    expect(readerRows(victim)).toEqual(ALL_ROWS);
    expect((await victim.browser.request('GET', '/api/folders')).status).toBe(200);
  });
});
