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

interface GreaderSubscription {
  id: string;
  title: string;
  categories: { id: string; label: string }[];
  url: string;
  htmlUrl: string;
  iconUrl: string;
}

async function syncUser() {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-subs');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const { password } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  const subscriptions = async () =>
    (
      await client.getJson<{ subscriptions: GreaderSubscription[] }>('/reader/api/0/subscription/list', {
        output: 'json',
      })
    ).subscriptions;
  const folders = async () =>
    ((await (await browser.request('GET', '/api/folders')).json()) as { folders: { name: string }[] }).folders.map(
      (folder) => folder.name,
    );
  return { browser, client, subscriptions, folders };
}

const EDIT = '/reader/api/0/subscription/edit';

describe('subscription/list and subscription/edit', () => {
  it('lists the web reader’s subscriptions with their folder', async () => {
    const { browser, subscriptions } = await syncUser();
    const created = await browser.request('POST', '/api/folders', { json: { name: 'News' } });
    const folderId = ((await created.json()) as { folder: { id: string } }).folder.id;
    await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/rss2.xml'), folderId } });
    await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/atom.xml') } });
    const list = await subscriptions();
    const rss = list.find((subscription) => subscription.url === fixtures.url('/rss2.xml'));
    expect(rss).toMatchObject({
      title: 'Fixture RSS & Friends',
      categories: [{ id: 'user/-/label/News', label: 'News' }],
      htmlUrl: 'https://rss.example/',
      iconUrl: '',
    });
    expect(rss?.id).toMatch(/^feed\/[0-9a-f-]{36}$/u);
    expect(list.find((subscription) => subscription.url === fixtures.url('/atom.xml'))?.categories).toEqual([]);
  });

  it('subscribes by URL into a new folder, renames, moves, takes out of the folder, unsubscribes', async () => {
    const { client, subscriptions, folders } = await syncUser();
    await client.postOk(EDIT, [
      ['ac', 'subscribe'],
      ['s', `feed/${fixtures.url('/atom.xml')}`],
      ['a', 'user/-/label/Reading'],
      ['t', 'My Atom'],
    ]);
    let [subscription] = await subscriptions();
    expect(subscription).toMatchObject({
      title: 'My Atom',
      url: fixtures.url('/atom.xml'),
      categories: [{ id: 'user/-/label/Reading', label: 'Reading' }],
    });
    expect(await folders()).toEqual(['Reading']);
    const feed = subscription?.id ?? '';

    await client.postOk(EDIT, [
      ['ac', 'edit'],
      ['s', feed],
      ['t', 'Renamed'],
    ]);
    await client.postOk(EDIT, [
      ['ac', 'edit'],
      ['s', feed],
      ['a', 'user/-/label/Later'],
    ]);
    [subscription] = await subscriptions();
    expect(subscription).toMatchObject({ title: 'Renamed', categories: [{ label: 'Later' }] });
    expect(await folders()).toEqual(['Later', 'Reading']);

    await client.postOk(EDIT, [
      ['ac', 'edit'],
      ['s', feed],
      ['r', 'user/-/label/Later'],
    ]);
    [subscription] = await subscriptions();
    expect(subscription?.categories).toEqual([]);

    await client.postOk(EDIT, [
      ['ac', 'unsubscribe'],
      ['s', feed],
    ]);
    expect(await subscriptions()).toEqual([]);
  });

  it('refuses a URL that is not a feed, leaving no folder or subscription behind', async () => {
    const { client, subscriptions, folders } = await syncUser();
    const response = await client.post(EDIT, [
      ['ac', 'subscribe'],
      ['s', `feed/${fixtures.url('/site-without-feed.html')}`],
      ['a', 'user/-/label/Never'],
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Error=SubscribeFailed\nInfo=.+\n$/u);
    expect(await subscriptions()).toEqual([]);
    expect(await folders()).toEqual([]);
  });

  it('refuses a private address with the one generic sentence (no SSRF oracle)', async () => {
    const { client } = await syncUser();
    const response = await client.post(EDIT, [
      ['ac', 'subscribe'],
      ['s', 'feed/http://169.254.169.254/latest/meta-data/'],
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Error=SubscribeFailed\nInfo=Could not fetch a feed from that address.\n');
  });

  it.each([
    [
      'an unknown action',
      [
        ['ac', 'delete'],
        ['s', 'feed/x'],
      ],
      400,
    ],
    ['no stream', [['ac', 'edit']], 400],
    [
      'a stream that is not a feed',
      [
        ['ac', 'edit'],
        ['s', 'user/-/label/x'],
      ],
      400,
    ],
    [
      'a feed the user does not read',
      [
        ['ac', 'unsubscribe'],
        ['s', 'feed/00000000-0000-0000-0000-000000000000'],
      ],
      404,
    ],
    [
      'a folder name too long',
      [
        ['ac', 'edit'],
        ['s', 'feed/x'],
        ['a', `user/-/label/${'x'.repeat(101)}`],
      ],
      400,
    ],
    [
      'a title too long',
      [
        ['ac', 'edit'],
        ['s', 'feed/x'],
        ['t', 'x'.repeat(201)],
      ],
      400,
    ],
  ] as [string, [string, string][], number][])(
    'answers %s with %i in the protocol’s style',
    async (_name, fields, status) => {
      const { client } = await syncUser();
      const response = await client.post(EDIT, fields);
      expect(response.status).toBe(status);
      expect(await response.text()).toMatch(/^Error=\w+\n/u);
    },
  );

  it('leaves another user’s subscription alone', async () => {
    const alice = await syncUser();
    const bob = await syncUser();
    await alice.client.postOk(EDIT, [
      ['ac', 'subscribe'],
      ['s', `feed/${fixtures.url('/rss1.rdf')}`],
    ]);
    const [subscription] = await alice.subscriptions();
    const response = await bob.client.post(EDIT, [
      ['ac', 'unsubscribe'],
      ['s', subscription?.id ?? ''],
    ]);
    expect(response.status).toBe(404);
    expect(await alice.subscriptions()).toHaveLength(1);
  });
});

describe('subscription/quickadd', () => {
  it('subscribes to a site URL through its autodiscovery link', async () => {
    const { client, subscriptions } = await syncUser();
    const response = await client.post('/reader/api/0/subscription/quickadd', [
      ['quickadd', fixtures.url('/site.html')],
    ]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { numResults: number; query: string; streamId: string };
    const [subscription] = await subscriptions();
    expect(body).toMatchObject({ numResults: 1, streamId: subscription?.id, query: subscription?.url });
  });

  it('answers 400 for a missing or unusable URL', async () => {
    const { client, subscriptions } = await syncUser();
    expect((await client.post('/reader/api/0/subscription/quickadd', [])).status).toBe(400);
    const bad = await client.post('/reader/api/0/subscription/quickadd', [['quickadd', 'not a url at all']]);
    expect(bad.status).toBe(400);
    expect(await subscriptions()).toEqual([]);
  });
});

describe('tag/list, rename-tag, disable-tag', () => {
  it('lists starred and the folders, renames a folder and deletes one keeping its feeds', async () => {
    const { client, subscriptions } = await syncUser();
    await client.postOk(EDIT, [
      ['ac', 'subscribe'],
      ['s', `feed/${fixtures.url('/rss2.xml')}`],
      ['a', 'user/-/label/Tech'],
    ]);
    const tags = async () =>
      (await client.getJson<{ tags: { id: string; type?: string }[] }>('/reader/api/0/tag/list', { output: 'json' }))
        .tags;
    expect(await tags()).toEqual([
      { id: 'user/-/state/com.google/starred' },
      { id: 'user/-/label/Tech', type: 'folder' },
    ]);
    await client.postOk('/reader/api/0/rename-tag', [
      ['s', 'user/-/label/Tech'],
      ['dest', 'user/-/label/Technology'],
    ]);
    expect((await subscriptions())[0]?.categories).toEqual([{ id: 'user/-/label/Technology', label: 'Technology' }]);
    await client.postOk('/reader/api/0/disable-tag', [['s', 'user/-/label/Technology']]);
    expect(await tags()).toEqual([{ id: 'user/-/state/com.google/starred' }]);
    const [kept] = await subscriptions();
    expect(kept?.categories).toEqual([]);
  });

  it('answers 404 for an unknown folder and 400 for a name clash or a malformed tag', async () => {
    const { client, browser } = await syncUser();
    await browser.request('POST', '/api/folders', { json: { name: 'A' } });
    await browser.request('POST', '/api/folders', { json: { name: 'B' } });
    const missing = await client.post('/reader/api/0/disable-tag', [['s', 'user/-/label/Missing']]);
    expect(missing.status).toBe(404);
    const clash = await client.post('/reader/api/0/rename-tag', [
      ['s', 'user/-/label/A'],
      ['dest', 'user/-/label/B'],
    ]);
    expect(clash.status).toBe(400);
    expect(await clash.text()).toMatch(/^Error=TagExists\n/u);
    const malformed = await client.post('/reader/api/0/rename-tag', [
      ['s', 'user/-/state/com.google/starred'],
      ['dest', 'user/-/label/C'],
    ]);
    expect(malformed.status).toBe(400);
  });
});
