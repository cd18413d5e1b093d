import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { GreaderTestClient } from './greader-test-client.js';
import { longItemId } from './item-ids.js';

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

interface WebItem {
  id: string;
  title: string;
  read: boolean;
  starred: boolean;
}

/** A user with a web session (the web reader) and a sync client (an app), reading `feeds`. */
async function syncUser(...feeds: string[]) {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-tags');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  for (const feed of feeds) {
    const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(feed) } });
    expect(response.status).toBe(201);
  }
  const { password } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  const webItems = async (query = '') =>
    ((await (await browser.request('GET', `/api/items${query}`)).json()) as { items: WebItem[] }).items;
  const webItem = async (id: number | string) =>
    ((await (await browser.request('GET', `/api/items/${String(id)}`)).json()) as { item: WebItem }).item;
  return { browser, client, webItems, webItem };
}

const READ = 'user/-/state/com.google/read';
const STARRED = 'user/-/state/com.google/starred';

describe('POST /reader/api/0/edit-tag', () => {
  it('marks read and starred by long hex id, seen at once by the web reader', async () => {
    const { client, webItems, webItem } = await syncUser('/rss2.xml');
    const [first, second] = await webItems();
    await client.postOk('/reader/api/0/edit-tag', [
      ['i', longItemId(Number(first?.id))],
      ['a', READ],
    ]);
    await client.postOk('/reader/api/0/edit-tag', [
      ['i', longItemId(Number(second?.id))],
      ['a', STARRED],
    ]);
    expect(await webItem(first?.id ?? '')).toMatchObject({ read: true, starred: false });
    expect(await webItem(second?.id ?? '')).toMatchObject({ read: false, starred: true });
  });

  it.each([
    ['short decimal', (id: number) => String(id)],
    ['16-digit hex without the prefix (Reeder)', (id: number) => id.toString(16).padStart(16, '0')],
    [
      'unpadded hex with the prefix (NetNewsWire)',
      (id: number) => `tag:google.com,2005:reader/item/${id.toString(16)}`,
    ],
  ])('reads the %s form', async (_name, form) => {
    const { client, webItems, webItem } = await syncUser('/atom.xml');
    const ids = (await webItems()).map((item) => Number(item.id));
    await client.postOk('/reader/api/0/edit-tag', [...ids.map((id): [string, string] => ['i', form(id)]), ['a', READ]]);
    for (const id of ids) expect((await webItem(id)).read).toBe(true);
  });

  it('marks unread again the way newsboat does (r=read, a=kept-unread, a=tracking-kept-unread)', async () => {
    const { client, browser, webItems, webItem } = await syncUser('/feed.json');
    const [item] = await webItems();
    await browser.request('PATCH', `/api/items/${item?.id ?? ''}`, { json: { read: true, starred: true } });
    await client.postOk('/reader/api/0/edit-tag', [
      ['i', longItemId(Number(item?.id))],
      ['r', READ],
      ['a', 'user/-/state/com.google/kept-unread'],
      ['a', 'user/-/state/com.google/tracking-kept-unread'],
      ['ac', 'edit'],
    ]);
    // Unread again, and still starred: only the mark asked for changes.
    expect(await webItem(item?.id ?? '')).toMatchObject({ read: false, starred: true });
    await client.postOk('/reader/api/0/edit-tag', [
      ['i', String(item?.id)],
      ['r', STARRED],
    ]);
    expect(await webItem(item?.id ?? '')).toMatchObject({ read: false, starred: false });
  });

  it('refuses another user’s item ids with 400, and changes nothing, not even the user’s own', async () => {
    const alice = await syncUser('/rss1.rdf');
    const bob = await syncUser('/rss2.xml');
    const [alicesItem] = await alice.webItems();
    const [bobsItem] = await bob.webItems();
    const marks = () =>
      server.reader.db
        .selectFrom('item_states')
        .selectAll()
        .where('item_id', 'in', [Number(bobsItem?.id), Number(alicesItem?.id)])
        .execute();
    const before = await marks();
    const response = await bob.client.post('/reader/api/0/edit-tag', [
      ['i', String(bobsItem?.id)],
      ['i', String(alicesItem?.id)],
      ['a', READ],
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Error=UnknownItem\n/u);
    expect((await bob.webItem(bobsItem?.id ?? '')).read).toBe(false);
    expect((await alice.webItem(alicesItem?.id ?? '')).read).toBe(false);
    expect(await marks()).toEqual(before);
  });

  it.each([
    ['no ids', [['a', READ]]],
    [
      'a garbage id',
      [
        ['i', 'not-an-id'],
        ['a', READ],
      ],
    ],
    [
      'an id too big for any item',
      [
        ['i', 'ffffffffffffffff'],
        ['a', READ],
      ],
    ],
    [
      'an unknown id',
      [
        ['i', '999999999'],
        ['a', READ],
      ],
    ],
    ['no tag', [['i', '1']]],
    [
      'an item label',
      [
        ['i', '1'],
        ['a', 'user/-/label/Later'],
      ],
    ],
    [
      'an unknown state',
      [
        ['i', '1'],
        ['a', 'user/-/state/com.google/bogus'],
      ],
    ],
    [
      'both read and unread',
      [
        ['i', '1'],
        ['a', READ],
        ['r', READ],
      ],
    ],
  ] as [string, [string, string][]][])('answers 400 to %s, nothing changed', async (_name, fields) => {
    const { client, webItems } = await syncUser('/rss2.xml');
    const response = await client.post('/reader/api/0/edit-tag', fields);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Error=\w+\n/u);
    expect((await webItems('?view=unread')).length).toBe(2);
  });
});

describe('sync in the other direction', () => {
  it('shows marks made in the web reader in stream contents', async () => {
    const { client, browser, webItems } = await syncUser('/rss2.xml');
    const [item] = await webItems();
    await browser.request('PATCH', `/api/items/${item?.id ?? ''}`, { json: { read: true, starred: true } });
    const stream = await client.getJson<{ items: { id: string; categories: string[] }[] }>(
      '/reader/api/0/stream/contents/user/-/state/com.google/reading-list',
    );
    const synced = stream.items.find((entry) => entry.id === longItemId(Number(item?.id)));
    expect(synced?.categories).toEqual(expect.arrayContaining([READ, STARRED]));
    const other = stream.items.find((entry) => entry.id !== longItemId(Number(item?.id)));
    expect(other?.categories).not.toContain(READ);
  });
});
