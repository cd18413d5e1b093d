/** The fuzz's world: a reader server, a fixture feed server, and two users with feeds, marks and every credential. */

import { expect } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { GreaderTestClient } from '../greader/greader-test-client.js';
import type { SyncSeeds, SyncUser } from './fuzz-types.js';

export interface FuzzWorld {
  fixtures: FixtureFeedServer;
  server: ReaderTestServer;
  seeds: SyncSeeds;
  /** Every item and its feed: which of them a user sees follows from their subscriptions. */
  allItems: { id: number; feed_id: string }[];
  close(): Promise<void>;
}

type Servers = Pick<FuzzWorld, 'fixtures' | 'server'>;

/** An RSS feed whose every title is unique to its user: in another user's answer, a leak. */
function feedXml(label: string, feed: number): string {
  const items = [1, 2, 3].map((n) => {
    const key = `${String(feed)}${String(n)}`;
    return [
      `<item><guid>${label}-${key}</guid><title>${label} item ${key}</title>`,
      `<link>https://${label.toLowerCase()}.example/${key}</link>`,
      `<pubDate>${new Date(Date.UTC(2024, 4, feed * 3 + n, 12)).toUTCString()}</pubDate>`,
      `<description>${label} body ${key}</description></item>`,
    ].join('');
  });
  const channel = `<title>${label} feed ${String(feed)}</title><link>https://${label.toLowerCase()}.example/</link>`;
  return `<rss version="2.0"><channel>${channel}${items.join('')}</channel></rss>`;
}

interface Made {
  user: SyncUser;
  browser: TestBrowser;
}

async function subscribe(browser: TestBrowser, url: string, folderId?: string): Promise<void> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url, folderId } });
  expect(response.status).toBe(201);
}

async function mark(browser: TestBrowser, id: number, marks: { read?: boolean; starred?: boolean }): Promise<void> {
  expect((await browser.request('PATCH', `/api/items/${String(id)}`, { json: marks })).status).toBe(200);
}

/** A user with two feeds of their own (one in a folder), the shared feed, marks, and every credential. */
async function makeUser({ fixtures, server }: Servers, label: string, sharedUrl: string): Promise<Made> {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail(`sync-fuzz-${label.toLowerCase()}`);
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const folderName = `${label} folder`;
  const folder = await browser.request('POST', '/api/folders', { json: { name: folderName } });
  const folderId = ((await folder.json()) as { folder: { id: string } }).folder.id;
  const feedUrls = [1, 2].map((feed) => {
    const path = `/${label.toLowerCase()}-${String(feed)}.xml`;
    fixtures.route(path, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(feedXml(label, feed));
    });
    return fixtures.url(path);
  });
  await subscribe(browser, feedUrls[0] ?? '', folderId);
  await subscribe(browser, feedUrls[1] ?? '');
  await subscribe(browser, sharedUrl);
  const db = server.reader.db;
  const feeds = await db.selectFrom('feeds').select(['id', 'url']).where('url', 'in', feedUrls).execute();
  const feedIds = feedUrls.map((url) => feeds.find((feed) => feed.url === url)?.id ?? '');
  const items = await db
    .selectFrom('items')
    .select(['id', 'title'])
    .where('feed_id', 'in', feedIds)
    .orderBy('id')
    .execute();
  expect(items).toHaveLength(6);
  await mark(browser, items[0]?.id ?? 0, { read: true });
  await mark(browser, items[1]?.id ?? 0, { starred: true });
  await mark(browser, items[2]?.id ?? 0, { read: true, starred: true });

  const { password, feverLogin } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  const { userId } = await client.getJson<{ userId: string }>('/reader/api/0/user-info');
  const ids = await client.getJson<{ continuation: string }>('/reader/api/0/stream/items/ids', { n: '1' });
  const key = feverKey(feverLogin, password);
  const fever = await fetch(`${server.origin}/api/fever/?api&groups&feeds`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `api_key=${key}`,
  });
  const numbers = (await fever.json()) as { groups: { id: number }[]; feeds: { id: number }[] };
  // A second app password, signed in with and then revoked: its token and key are dead at once.
  const revoked = await createAppPassword(browser, 'Revoked');
  const revokedClient = await GreaderTestClient.login(`${server.origin}/api/greader`, email, revoked.password);
  const revokedEditToken = await revokedClient.token();
  const revocation = await browser.request('DELETE', `/api/auth/app-passwords/${revoked.id}`);
  expect(revocation.status).toBe(204);
  const user: SyncUser = {
    userId,
    email,
    accountPassword: GOOD_PASSWORD,
    appPassword: password,
    feverLogin,
    token: client.auth ?? '',
    editToken: await client.token(),
    feverKey: key,
    revoked: {
      appPassword: revoked.password,
      token: revokedClient.auth ?? '',
      editToken: revokedEditToken,
      feverKey: feverKey(revoked.feverLogin, revoked.password),
    },
    session: {
      cookie: browser.cookieHeader(),
      'x-csrf-token': await browser.csrfToken(),
      origin: server.origin,
      'sec-fetch-site': 'same-origin',
    },
    feedIds,
    feedUrls,
    folderName,
    itemIds: items.map((item) => item.id),
    feverNumbers: [...numbers.groups, ...numbers.feeds].map((entry) => entry.id),
    continuation: ids.continuation,
    secrets: [email, userId, folderName, ...feedIds, ...feedUrls, ...items.map((item) => item.title), `${label} feed`],
  };
  return { user, browser };
}

/** Starts both servers and makes the two users; `close` stops the servers. */
export async function startFuzzWorld(): Promise<FuzzWorld> {
  const fixtures = await startFixtureFeedServer();
  const server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
  const sharedUrl = fixtures.url('/rss2.xml');
  const alpha = await makeUser({ fixtures, server }, 'Alpha', sharedUrl);
  const bravo = await makeUser({ fixtures, server }, 'Bravo', sharedUrl);
  const allItems = await server.reader.db.selectFrom('items').select(['id', 'feed_id']).orderBy('id').execute();
  const shared = await server.reader.db
    .selectFrom('items')
    .innerJoin('feeds', 'feeds.id', 'items.feed_id')
    .select(['items.id', 'feeds.id as feedId'])
    .where('feeds.url', '=', sharedUrl)
    .orderBy('items.id')
    .execute();
  // On the feed both read, marks that differ: each user's answers must show their own.
  const [first, second] = shared.map((item) => item.id);
  await mark(bravo.browser, first ?? 0, { read: true, starred: true });
  await mark(alpha.browser, second ?? 0, { read: true });
  const seeds: SyncSeeds = {
    users: [alpha.user, bravo.user],
    shared: { feedId: shared[0]?.feedId ?? '', itemIds: shared.map((item) => item.id) },
    failingUrls: [
      fixtures.url('/broken.xml'),
      fixtures.url('/site-without-feed.html'),
      fixtures.url('/redirect-to-metadata'),
      'http://10.0.0.1/feed.xml',
      'http://127.0.0.1:1/',
      'http://169.254.169.254/latest/meta-data/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://[::1',
    ],
  };
  return {
    fixtures,
    server,
    seeds,
    allItems,
    async close() {
      await server.close();
      await fixtures.close();
    },
  };
}
