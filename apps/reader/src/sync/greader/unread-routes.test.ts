import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { GreaderTestClient } from './greader-test-client.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

interface UnreadCount {
  id: string;
  count: number;
  newestItemTimestampUsec: string;
}

/** A user reading rss2.xml (2 items, Jan 1 and 2) in folder "News", and atom.xml (2 items) in none. */
async function syncUser() {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-unread');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const { password } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  await client.postOk('/reader/api/0/subscription/edit', [
    ['ac', 'subscribe'],
    ['s', `feed/${fixtures.url('/rss2.xml')}`],
    ['a', 'user/-/label/News'],
  ]);
  await client.postOk('/reader/api/0/subscription/edit', [
    ['ac', 'subscribe'],
    ['s', `feed/${fixtures.url('/atom.xml')}`],
  ]);
  const list = await client.getJson<{ subscriptions: { id: string; url: string }[] }>(
    '/reader/api/0/subscription/list',
    { output: 'json' },
  );
  const streamOf = (path: string) => list.subscriptions.find((s) => s.url === fixtures.url(path))?.id ?? '';
  const counts = async () => {
    const body = await client.getJson<{ max: number; unreadcounts: UnreadCount[] }>('/reader/api/0/unread-count', {
      output: 'json',
    });
    return { max: body.max, byId: new Map(body.unreadcounts.map((count) => [count.id, count])) };
  };
  const webUnread = async () =>
    ((await (await browser.request('GET', '/api/items?view=unread')).json()) as { items: { title: string }[] }).items
      .map((item) => item.title)
      .sort();
  return { browser, client, rss: streamOf('/rss2.xml'), atom: streamOf('/atom.xml'), counts, webUnread };
}

const READING_LIST = 'user/-/state/com.google/reading-list';
const usec = (ms: number) => `${String(ms)}000`;

describe('GET unread-count', () => {
  it('counts per feed, per label and for the reading list, with the newest item’s time', async () => {
    const { browser, rss, atom, counts } = await syncUser();
    let { max, byId } = await counts();
    expect(max).toBe(4);
    expect(byId.get(rss)).toEqual({ id: rss, count: 2, newestItemTimestampUsec: usec(Date.UTC(2024, 0, 2, 10)) });
    expect(byId.get('user/-/label/News')).toMatchObject({ count: 2 });
    expect(byId.get(atom)?.count).toBe(2);
    expect(byId.get(READING_LIST)?.count).toBe(4);

    const items = ((await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] }).items;
    await browser.request('PATCH', `/api/items/${items[0]?.id ?? ''}`, { json: { read: true } });
    ({ max, byId } = await counts());
    expect(max).toBe(3);
    expect(byId.get(READING_LIST)?.count).toBe(3);
  });
});

describe('POST mark-all-as-read', () => {
  it('marks a feed read up to ts, leaving newer items unread', async () => {
    const { client, rss, counts, webUnread } = await syncUser();
    // ts = the first post's timestampUsec: that one is marked, the newer second is not.
    await client.postOk('/reader/api/0/mark-all-as-read', [
      ['s', rss],
      ['ts', usec(Date.UTC(2024, 0, 1, 10))],
    ]);
    expect(await webUnread()).toEqual(['Atom entry one', 'Plain text title with 1 < 2', 'Second RSS post']);
    expect((await counts()).byId.get(rss)?.count).toBe(1);
  });

  it('marks a label, or the whole reading list up to now without ts', async () => {
    const { client, counts, webUnread } = await syncUser();
    await client.postOk('/reader/api/0/mark-all-as-read', [['s', 'user/-/label/News']]);
    expect(await webUnread()).toEqual(['Atom entry one', 'Plain text title with 1 < 2']);
    await client.postOk('/reader/api/0/mark-all-as-read', [['s', READING_LIST]]);
    expect(await webUnread()).toEqual([]);
    expect((await counts()).max).toBe(0);
  });

  it('keeps starred marks while marking read', async () => {
    const { client, browser, rss } = await syncUser();
    const items = ((await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] }).items;
    await browser.request('PATCH', `/api/items/${items[0]?.id ?? ''}`, { json: { starred: true } });
    await client.postOk('/reader/api/0/mark-all-as-read', [['s', rss]]);
    await client.postOk('/reader/api/0/mark-all-as-read', [['s', READING_LIST]]);
    const item = (await (await browser.request('GET', `/api/items/${items[0]?.id ?? ''}`)).json()) as {
      item: { read: boolean; starred: boolean };
    };
    expect(item.item).toMatchObject({ read: true, starred: true });
  });

  it.each([
    ['no stream', [], 400],
    [
      'a malformed ts',
      [
        ['s', READING_LIST],
        ['ts', '12abc'],
      ],
      400,
    ],
    [
      'a negative ts',
      [
        ['s', READING_LIST],
        ['ts', '-5'],
      ],
      400,
    ],
    [
      'a huge ts',
      [
        ['s', READING_LIST],
        ['ts', '9'.repeat(40)],
      ],
      400,
    ],
    ['a malformed stream', [['s', 'everything']], 400],
    ['an unknown label', [['s', 'user/-/label/Nope']], 404],
    ['another user’s feed', [['s', 'feed/00000000-0000-0000-0000-000000000000']], 404],
  ] as [string, [string, string][], number][])('answers %s with %i, nothing marked', async (_name, fields, status) => {
    const { client, webUnread } = await syncUser();
    const response = await client.post('/reader/api/0/mark-all-as-read', fields);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(/^Error=\w+\n/u);
    expect(await webUnread()).toHaveLength(4);
  });
});
