import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';

// What a Fever client reads: groups, feeds, favicons, items and the id lists.

interface FeverFeed {
  id: number;
  favicon_id: number;
  title: string;
  url: string;
  site_url: string;
  is_spark: number;
  last_updated_on_time: number;
}
interface FeverItem {
  id: number;
  feed_id: number;
  title: string;
  author: string;
  html: string;
  url: string;
  is_saved: number;
  is_read: number;
  created_on_time: number;
}
interface FeverBody {
  auth: number;
  groups?: { id: number; title: string }[];
  feeds?: FeverFeed[];
  feeds_groups?: { group_id: number; feed_ids: string }[];
  favicons?: { id: number; data: string }[];
  items?: FeverItem[];
  total_items?: number;
  links?: unknown[];
  unread_item_ids?: string;
  saved_item_ids?: string;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

/** 120 items, one a day, so paging needs three pages of 50. */
function longFeed(): string {
  const items = Array.from({ length: 120 }, (_, n) => {
    const day = new Date(Date.UTC(2024, 0, 1 + n, 8)).toUTCString();
    return `<item><guid>long-${String(n)}</guid><title>Long ${String(n)}</title><link>https://long.example/${String(n)}</link><pubDate>${day}</pubDate><description>n</description></item>`;
  });
  return `<rss version="2.0"><channel><title>Long</title><link>https://long.example/</link>${items.join('')}</channel></rss>`;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/long.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(longFeed());
  });
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function feverUser() {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('fever-read'), GOOD_PASSWORD)).status).toBe(201);
  const appPassword = await createAppPassword(browser);
  const key = feverKey(appPassword.feverLogin, appPassword.password);
  const call = async (query: string): Promise<FeverBody> => {
    const response = await fetch(`${server.origin}/api/fever/?api&${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `api_key=${key}`,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as FeverBody;
    expect(body.auth).toBe(1);
    return body;
  };
  return { browser, call };
}

async function subscribe(browser: TestBrowser, path: string, folderName?: string): Promise<string> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(response.status).toBe(201);
  const { subscription } = (await response.json()) as { subscription: { id: string } };
  if (folderName !== undefined) {
    const made = await browser.request('POST', '/api/folders', { json: { name: folderName } });
    const { folder } = (await made.json()) as { folder: { id: string } };
    const moved = await browser.request('PATCH', `/api/subscriptions/${subscription.id}`, {
      json: { folderId: folder.id },
    });
    expect(moved.status).toBe(200);
  }
  return subscription.id;
}

function feedNamed(body: FeverBody, path: string): FeverFeed {
  const feed = body.feeds?.find((candidate) => candidate.url === fixtures.url(path));
  if (feed === undefined) throw new Error(`no feed for ${path}`);
  return feed;
}

describe('groups, feeds and favicons', () => {
  it('lists folders as groups, subscriptions as feeds, and which feeds each group holds', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/rss2.xml', 'News');
    await subscribe(browser, '/atom.xml');
    const body = await call('groups&feeds');
    expect(body.groups).toEqual([{ id: expect.any(Number) as number, title: 'News' }]);
    const [news] = body.groups ?? [];
    const rss = feedNamed(body, '/rss2.xml');
    const atom = feedNamed(body, '/atom.xml');
    expect(rss).toEqual({
      id: expect.any(Number) as number,
      favicon_id: 1,
      title: 'Fixture RSS & Friends',
      url: fixtures.url('/rss2.xml'),
      site_url: 'https://rss.example/',
      is_spark: 0,
      last_updated_on_time: Math.floor(server.now() / 1000),
    });
    expect(new Set([rss.id, atom.id, news?.id]).size).toBe(3);
    // The Atom feed is in no folder, so in no group: clients show it under "All".
    expect(body.feeds_groups).toEqual([{ group_id: news?.id, feed_ids: String(rss.id) }]);
    // Each request alone answers only its own members (and feeds_groups with either).
    expect(Object.keys(await call('groups')).sort()).toEqual(
      ['api_version', 'auth', 'feeds_groups', 'groups', 'last_refreshed_on_time'].sort(),
    );
    expect((await call('feeds')).groups).toBeUndefined();
  });

  it('gives one placeholder favicon that every feed points at, and fetches nothing for it', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/rss2.xml');
    const { favicons, feeds } = await call('favicons&feeds');
    expect(favicons).toHaveLength(1);
    expect(favicons?.[0]?.data).toMatch(/^image\/png;base64,[A-Za-z0-9+/]+=*$/u);
    const ids = new Set(favicons?.map((favicon) => favicon.id));
    expect(feeds?.every((feed) => ids.has(feed.favicon_id))).toBe(true);
    expect(fixtures.requests('/favicon.ico')).toEqual([]);
  });

  it('keeps every number across calls and across new subscriptions and folders', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/rss2.xml', 'One');
    const before = await call('groups&feeds');
    await subscribe(browser, '/atom.xml', 'Two');
    await subscribe(browser, '/feed.json');
    const after = await call('groups&feeds');
    expect(feedNamed(after, '/rss2.xml').id).toBe(feedNamed(before, '/rss2.xml').id);
    expect(after.groups?.find((group) => group.title === 'One')?.id).toBe(before.groups?.[0]?.id);
    const numbers = [...(after.feeds ?? []).map((feed) => feed.id), ...(after.groups ?? []).map((group) => group.id)];
    expect(new Set(numbers).size).toBe(5);
    expect(numbers.every((number) => Number.isSafeInteger(number) && number > 0)).toBe(true);
    // Items name their feed by the same number.
    const { items } = await call('items');
    const rssItems = items?.filter((item) => item.url.startsWith('https://rss.example/')) ?? [];
    expect(rssItems.map((item) => item.feed_id)).toEqual([
      feedNamed(before, '/rss2.xml').id,
      feedNamed(before, '/rss2.xml').id,
    ]);
  });
});

describe('items', () => {
  it('pages forward with since_id, 50 at a time, every item once, and counts total_items', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/long.xml');
    await subscribe(browser, '/rss2.xml');
    const seen: number[] = [];
    let since = 0;
    for (;;) {
      const { items, total_items } = await call(`items&since_id=${String(since)}`);
      expect(total_items).toBe(122);
      expect(items?.length).toBeLessThanOrEqual(50);
      if (items === undefined || items.length === 0) break;
      const ids = items.map((item) => item.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      seen.push(...ids);
      since = ids.at(-1) ?? since;
    }
    expect(seen).toHaveLength(122);
    expect(new Set(seen).size).toBe(122);
    // No parameter at all is since_id=0.
    expect((await call('items')).items?.map((item) => item.id)).toEqual(seen.slice(0, 50));
  });

  it('pages backward with max_id from 0 (the newest), every item once', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/long.xml');
    const seen: number[] = [];
    let max = 0;
    for (;;) {
      const { items } = await call(`items&max_id=${String(max)}`);
      if (items === undefined || items.length === 0) break;
      const ids = items.map((item) => item.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      seen.push(...ids);
      max = ids.at(-1) ?? max;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it('returns the items with_ids names, with every field, the HTML sanitized', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/rss2.xml');
    await subscribe(browser, '/hostile.xml');
    const all = (await call('items')).items ?? [];
    const second = all.find((item) => item.title === 'Second RSS post');
    const { items } = await call(`items&with_ids=${String(second?.id)},999999999`);
    const rss = feedNamed(await call('feeds'), '/rss2.xml');
    expect(items).toEqual([
      {
        id: second?.id,
        feed_id: rss.id,
        title: 'Second RSS post',
        author: 'Dana Writer',
        html: '<p>The <strong>second</strong> post talks about zeppelins.</p>',
        url: 'https://rss.example/posts/2',
        is_saved: 0,
        is_read: 0,
        created_on_time: Date.parse('2024-01-02T10:00:00Z') / 1000,
      },
    ]);
    const hostile = all.filter((item) => !item.url.startsWith('https://rss.example/'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const item of hostile) expect(item.html.toLowerCase()).not.toMatch(/<script|onclick|javascript:/u);
  });

  it('answers links with an empty list, and the id lists as comma-separated strings', async () => {
    const { browser, call } = await feverUser();
    await subscribe(browser, '/rss2.xml');
    const body = await call('links&unread_item_ids&saved_item_ids&items');
    expect(body.links).toEqual([]);
    const ids = (body.items ?? []).map((item) => item.id).sort((a, b) => a - b);
    expect(body.unread_item_ids).toBe(ids.join(','));
    expect(body.saved_item_ids).toBe('');
  });

  it('shows no item, feed or group of another user', async () => {
    const alice = await feverUser();
    const bob = await feverUser();
    await subscribe(alice.browser, '/long.xml', 'Secret');
    await subscribe(bob.browser, '/rss2.xml');
    const seenByBob = await bob.call('groups&feeds&items&unread_item_ids&saved_item_ids');
    expect(seenByBob.groups).toEqual([]);
    expect(seenByBob.feeds?.map((feed) => feed.url)).toEqual([fixtures.url('/rss2.xml')]);
    expect(seenByBob.total_items).toBe(2);
    expect(seenByBob.unread_item_ids?.split(',')).toHaveLength(2);
    const aliceIds = ((await alice.call('items')).items ?? []).map((item) => item.id);
    expect((await bob.call(`items&with_ids=${aliceIds.slice(0, 5).join(',')}`)).items).toEqual([]);
  });
});
