import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';

// Marks, and that the Fever client and the web reader see one state: both read item_states.

interface FeverBody {
  auth: number;
  error?: string;
  groups?: { id: number; title: string }[];
  feeds?: { id: number; url: string }[];
  items?: { id: number; title: string }[];
  unread_item_ids?: string;
  saved_item_ids?: string;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
let feeds = 0;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

/** A feed of its own whose items the test adds to: `publish('a')` and the next fetch has it. */
function growingFeed(): { path: string; publish: (...titles: string[]) => void } {
  feeds += 1;
  const path = `/growing-${String(feeds)}.xml`;
  const titles: string[] = [];
  fixtures.route(path, (_request, response) => {
    const items = titles.map((title) => `<item><guid>${title}</guid><title>${title}</title></item>`).join('');
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    response.end(`<rss version="2.0"><channel><title>${path}</title>${items}</channel></rss>`);
  });
  return { path, publish: (...more) => titles.push(...more) };
}

async function feverUser() {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('fever-mark'), GOOD_PASSWORD)).status).toBe(201);
  const appPassword = await createAppPassword(browser);
  const key = feverKey(appPassword.feverLogin, appPassword.password);
  const send = async (query: string, form: Record<string, string> = {}) => {
    const response = await fetch(`${server.origin}/api/fever/?api&${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key, ...form }).toString(),
    });
    const body = (await response.json()) as FeverBody;
    expect(body.auth).toBe(1);
    return { status: response.status, body };
  };
  const call = async (query: string, form: Record<string, string> = {}): Promise<FeverBody> => {
    const { status, body } = await send(query, form);
    expect(status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const unread = async () => idSet((await call('unread_item_ids')).unread_item_ids);
  const saved = async () => idSet((await call('saved_item_ids')).saved_item_ids);
  const itemIds = async () => new Map(((await call('items')).items ?? []).map((item) => [item.title, item.id]));
  return { browser, send, call, unread, saved, itemIds };
}

function idSet(list: string | undefined): number[] {
  return list === undefined || list === '' ? [] : list.split(',').map(Number);
}

async function subscribe(browser: TestBrowser, path: string, folderName?: string): Promise<void> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(response.status).toBe(201);
  if (folderName === undefined) return;
  const { subscription } = (await response.json()) as { subscription: { id: string } };
  const made = await browser.request('POST', '/api/folders', { json: { name: folderName } });
  const { folder } = (await made.json()) as { folder: { id: string } };
  await browser.request('PATCH', `/api/subscriptions/${subscription.id}`, { json: { folderId: folder.id } });
}

async function webItem(browser: TestBrowser, id: number): Promise<{ read: boolean; starred: boolean }> {
  const response = await browser.request('GET', `/api/items/${String(id)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { item: { read: boolean; starred: boolean } }).item;
}

/** Past the feeds' 30-minute refresh, within the sessions' 60-minute idle timeout. */
const FETCH_INTERVAL = 31 * 60_000;

const nowSeconds = () => Math.floor(server.now() / 1000);

describe('mark=item', () => {
  it('marks read, unread, saved and unsaved, and the web reader shows each at once', async () => {
    const user = await feverUser();
    await subscribe(user.browser, '/rss2.xml');
    const id = (await user.itemIds()).get('First RSS post') ?? 0;
    await user.call('', { mark: 'item', as: 'read', id: String(id) });
    expect(await webItem(user.browser, id)).toEqual(expect.objectContaining({ read: true, starred: false }));
    expect(await user.unread()).not.toContain(id);
    await user.call('', { mark: 'item', as: 'saved', id: String(id) });
    expect(await webItem(user.browser, id)).toEqual(expect.objectContaining({ read: true, starred: true }));
    expect(await user.saved()).toEqual([id]);
    await user.call('', { mark: 'item', as: 'unread', id: String(id) });
    await user.call('', { mark: 'item', as: 'unsaved', id: String(id) });
    expect(await webItem(user.browser, id)).toEqual(expect.objectContaining({ read: false, starred: false }));
    expect(await user.unread()).toContain(id);
    expect(await user.saved()).toEqual([]);
  });

  it('shows marks made in the web reader in unread_item_ids and saved_item_ids', async () => {
    const user = await feverUser();
    await subscribe(user.browser, '/atom.xml');
    const ids = [...(await user.itemIds()).values()];
    const [first = 0, second = 0] = ids;
    await user.browser.request('PATCH', `/api/items/${String(first)}`, { json: { read: true } });
    await user.browser.request('PATCH', `/api/items/${String(second)}`, { json: { starred: true } });
    expect(await user.unread()).toEqual([second]);
    expect(await user.saved()).toEqual([second]);
    await user.browser.request('POST', '/api/items/mark-read', { json: { view: 'all' } });
    expect(await user.unread()).toEqual([]);
  });

  it('refuses another user’s item with 400, and changes nothing for either', async () => {
    const alice = await feverUser();
    const bob = await feverUser();
    await subscribe(alice.browser, '/rss1.rdf');
    await subscribe(bob.browser, '/rss2.xml');
    const [aliceItem = 0] = (await alice.itemIds()).values();
    for (const as of ['read', 'saved']) {
      const { status, body } = await bob.send('', { mark: 'item', as, id: String(aliceItem) });
      expect(status).toBe(400);
      expect(body).toEqual({ api_version: 3, auth: 1, error: 'no such item' });
    }
    expect(await alice.unread()).toContain(aliceItem);
    expect(await alice.saved()).toEqual([]);
    const states = await server.reader.db
      .selectFrom('item_states')
      .selectAll()
      .where('item_id', '=', aliceItem)
      .execute();
    expect(states).toEqual([]);
  });
});

describe('mark=feed and mark=group', () => {
  it('marks a feed read up to `before`: items that arrived later stay unread', async () => {
    const user = await feverUser();
    const feed = growingFeed();
    feed.publish('old 1', 'old 2');
    await subscribe(user.browser, feed.path);
    await subscribe(user.browser, '/rss2.xml');
    const synced = nowSeconds();
    const feedId = (await user.call('feeds')).feeds?.find((f) => f.url === fixtures.url(feed.path))?.id ?? 0;
    const unreadBefore = await user.unread();

    // A `before` earlier than the items' arrival marks nothing.
    await user.call('', { mark: 'feed', as: 'read', id: String(feedId), before: String(synced - 1) });
    expect(await user.unread()).toEqual(unreadBefore);

    feed.publish('new 1');
    server.advance(FETCH_INTERVAL);
    expect(await server.reader.scheduler.runDue()).toBeGreaterThan(0);
    const titles = await user.itemIds();
    await user.call('', { mark: 'feed', as: 'read', id: String(feedId), before: String(synced) });
    const unread = await user.unread();
    expect(unread).toContain(titles.get('new 1'));
    expect(unread).not.toContain(titles.get('old 1'));
    expect(unread).not.toContain(titles.get('old 2'));
    // The other feed is untouched.
    expect(unread).toContain(titles.get('First RSS post'));
    const web = await user.browser.request('GET', '/api/items?view=unread');
    const { items } = (await web.json()) as { items: { title: string }[] };
    expect(items.map((item) => item.title).sort()).toEqual(['First RSS post', 'Second RSS post', 'new 1']);
  });

  it('marks a group read up to `before`, and group 0 marks everything', async () => {
    const user = await feverUser();
    const inFolder = growingFeed();
    inFolder.publish('grouped 1');
    await subscribe(user.browser, inFolder.path, 'Folder');
    await subscribe(user.browser, '/atom.xml');
    const synced = nowSeconds();
    const [group] = (await user.call('groups')).groups ?? [];
    inFolder.publish('grouped 2');
    server.advance(FETCH_INTERVAL);
    await server.reader.scheduler.runDue();
    const titles = await user.itemIds();

    const atom = [...titles].filter(([title]) => !title.startsWith('grouped')).map(([, id]) => id);
    expect(atom).toHaveLength(2);

    await user.call('', { mark: 'group', as: 'read', id: String(group?.id), before: String(synced) });
    const unread = await user.unread();
    expect(unread).not.toContain(titles.get('grouped 1'));
    expect(unread.sort((a, b) => a - b)).toEqual([titles.get('grouped 2') ?? 0, ...atom].sort((a, b) => a - b));
    await user.call('', { mark: 'group', as: 'read', id: '0', before: String(nowSeconds()) });
    expect(await user.unread()).toEqual([]);
  });

  it('marks only the user’s own items, even with group 0', async () => {
    const alice = await feverUser();
    const bob = await feverUser();
    await subscribe(alice.browser, '/feed.json');
    await subscribe(bob.browser, '/feed.json');
    await alice.call('', { mark: 'group', as: 'read', id: '0', before: String(nowSeconds()) });
    expect(await alice.unread()).toEqual([]);
    expect((await bob.unread()).length).toBeGreaterThan(0);
  });

  it('refuses another user’s feed or group, and an unknown one, with 400, changing nothing', async () => {
    const alice = await feverUser();
    const bob = await feverUser();
    await subscribe(alice.browser, '/rss1.rdf', 'Alice only');
    await subscribe(bob.browser, '/rss2.xml');
    const aliceView = await alice.call('groups&feeds');
    const aliceFeed = String(aliceView.feeds?.[0]?.id);
    const aliceGroup = String(aliceView.groups?.[0]?.id);
    const bobUnread = await bob.unread();
    for (const [mark, id, error] of [
      ['feed', aliceFeed, 'no such feed'],
      ['group', aliceGroup, 'no such group'],
      ['feed', '0', 'no such feed'],
      ['feed', '987654321', 'no such feed'],
      ['group', '987654321', 'no such group'],
      // A feed's number is not a group's, nor the other way round.
      ['group', aliceFeed, 'no such group'],
    ] as const) {
      const { status, body } = await bob.send('', { mark, as: 'read', id });
      expect(status, `${mark} ${id}`).toBe(400);
      expect(body).toEqual({ api_version: 3, auth: 1, error });
    }
    expect((await alice.unread()).length).toBeGreaterThan(0);
    expect(await bob.unread()).toEqual(bobUnread);
  });
});
