import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

interface ApiItem {
  id: string;
  subscriptionId: string;
  feedTitle: string;
  title: string;
  author: string | null;
  url: string | null;
  publishedAt: string;
  snippet: string;
  read: boolean;
  starred: boolean;
  contentHtml?: string;
}
interface ItemPage {
  items: ApiItem[];
  nextCursor: string | null;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

/** Seven items; two share a publication time, so pages must break ties by id. */
function manyItemsFeed(): string {
  const items = [1, 2, 3, 4, 5, 6, 7].map((n) => {
    const day = n === 7 ? 6 : n;
    return `<item><guid>many-${String(n)}</guid><title>Many ${String(n)}</title>
      <pubDate>${new Date(Date.UTC(2024, 0, day, 12)).toUTCString()}</pubDate><description>n${String(n)}</description></item>`;
  });
  return `<rss version="2.0"><channel><title>Many</title>${items.join('')}</channel></rss>`;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/many.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(manyItemsFeed());
  });
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('items'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

async function subscribe(browser: TestBrowser, path: string): Promise<string> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { subscription: { id: string } }).subscription.id;
}

async function list(browser: TestBrowser, query = ''): Promise<ItemPage> {
  const response = await browser.request('GET', `/api/items${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ItemPage;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a JSON body
async function getJson<T>(browser: TestBrowser, method: string, path: string, json?: unknown) {
  const response = await browser.request(method, path, json === undefined ? {} : { json });
  return { status: response.status, body: (await response.json()) as T };
}

describe('GET /api/items', () => {
  it('lists items newest first with the summary fields', async () => {
    const browser = await signUp();
    const subscriptionId = await subscribe(browser, '/rss2.xml');
    const { items, nextCursor } = await list(browser);
    expect(nextCursor).toBeNull();
    expect(items.map((item) => item.title)).toEqual(['Second RSS post', 'First RSS post']);
    expect(items[0]).toMatchObject({
      subscriptionId,
      feedTitle: 'Fixture RSS & Friends',
      author: 'Dana Writer',
      url: 'https://rss.example/posts/2',
      publishedAt: '2024-01-02T10:00:00.000Z',
      snippet: 'The second post talks about zeppelins.',
      read: false,
      starred: false,
    });
    expect(items[0]?.contentHtml).toBeUndefined();
  });

  it.each([1, 3])('pages with a cursor (limit %i): every item exactly once, ties broken by id', async (limit) => {
    const browser = await signUp();
    await subscribe(browser, '/many.xml');
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page = await list(browser, `?limit=${String(limit)}${cursor === '' ? '' : `&cursor=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((item) => item.title));
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(7 / limit));
    // Many 6 and Many 7 share a time: the later-stored one (higher id) comes first.
    expect(seen).toEqual(['Many 7', 'Many 6', 'Many 5', 'Many 4', 'Many 3', 'Many 2', 'Many 1']);
  });

  it('shows unread and starred views, and filters by subscription and folder', async () => {
    const browser = await signUp();
    const rss = await subscribe(browser, '/rss2.xml');
    const atom = await subscribe(browser, '/atom.xml');
    const folder = await getJson<{ folder: { id: string } }>(browser, 'POST', '/api/folders', { name: 'Atoms' });
    await browser.request('PATCH', `/api/subscriptions/${atom}`, { json: { folderId: folder.body.folder.id } });

    const all = await list(browser);
    expect(all.items).toHaveLength(4);
    const [first, second] = all.items;
    await browser.request('PATCH', `/api/items/${first?.id ?? ''}`, { json: { read: true } });
    await browser.request('PATCH', `/api/items/${second?.id ?? ''}`, { json: { starred: true } });

    expect((await list(browser, '?view=unread')).items.map((item) => item.id)).not.toContain(first?.id);
    expect((await list(browser, '?view=unread')).items).toHaveLength(3);
    expect((await list(browser, '?view=starred')).items.map((item) => item.id)).toEqual([second?.id]);
    expect((await list(browser, `?subscriptionId=${rss}`)).items.every((item) => item.subscriptionId === rss)).toBe(
      true,
    );
    const inFolder = await list(browser, `?folderId=${folder.body.folder.id}`);
    expect(inFolder.items.map((item) => item.feedTitle)).toEqual(['Fixture Atom', 'Fixture Atom']);
  });

  it('searches title, author and content, in any script', async () => {
    const browser = await signUp();
    await subscribe(browser, '/rss2.xml');
    await subscribe(browser, '/gb2312.xml');
    await subscribe(browser, '/atom.xml');
    const titles = async (q: string) =>
      (await list(browser, `?q=${encodeURIComponent(q)}`)).items.map((item) => item.title).sort();
    expect(await titles('zeppelins')).toEqual(['Second RSS post']);
    expect(await titles('ZEPPELIN')).toEqual(['Second RSS post']);
    expect(await titles('Dana')).toEqual(['Second RSS post']);
    expect(await titles('lighthouses first')).toEqual(['First RSS post']);
    expect(await titles('网络安全')).toEqual(['安全新闻']);
    expect(await titles('安全')).toEqual(['安全新闻']);
    expect(await titles('submarines')).toEqual(['Atom entry one']);
    // Markup is not text: a tag name in the HTML must not match.
    expect(await titles('strong')).toEqual([]);
    expect(await titles('nothing-matches-this')).toEqual([]);
  });

  it('treats empty query parameters as absent', async () => {
    const browser = await signUp();
    await subscribe(browser, '/rss2.xml');
    const page = await list(browser, '?view=all&subscriptionId=&folderId=&q=&cursor=&limit=');
    expect(page.items).toHaveLength(2);
  });

  it.each(['"unbalanced', 'NEAR(', 'a OR', '*', '%', '_', 'title:x', '-x', "'; DROP TABLE items; --"])(
    'treats search syntax in %j as text, never a 500',
    async (q) => {
      const browser = await signUp();
      await subscribe(browser, '/rss2.xml');
      const response = await browser.request('GET', `/api/items?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
    },
  );

  it('treats a NUL character in a search as text, never a 500, in lists and mark-read', async () => {
    // FTS5 reads its query as a C string: a NUL inside the quoted phrase cut it short, an
    // "unterminated string" syntax error, that is a 500 (found by the reader fuzz, e2e).
    const browser = await signUp();
    await subscribe(browser, '/rss2.xml');
    // The NUL separates words, as a space would.
    const titles = (await list(browser, `?q=${encodeURIComponent('zeppe\u0000lins')}`)).items.map((item) => item.title);
    expect(titles).toEqual(['Second RSS post']);
    for (const q of ['zeppe\u0000lins', 'abc\u0000', '"\u0000"', '\u0000\u0000\u0000']) {
      const response = await browser.request('GET', `/api/items?q=${encodeURIComponent(q)}`);
      expect(response.status, JSON.stringify(q)).toBe(200);
      const marked = await browser.request('POST', '/api/items/mark-read', { json: { view: 'all', q } });
      expect(marked.status, JSON.stringify(q)).toBe(200);
    }
  });

  it.each([
    ['?view=everything', 'view'],
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?cursor=not-a-cursor', 'cursor'],
    [`?q=${'x'.repeat(201)}`, 'q'],
  ])('answers 400 to %s', async (query, field) => {
    const browser = await signUp();
    const response = await browser.request('GET', `/api/items${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors[field]).toBeDefined();
  });
});

describe('GET and PATCH /api/items/:id', () => {
  it('returns the article with its HTML sanitized on the server', async () => {
    const browser = await signUp();
    await subscribe(browser, '/hostile.xml');
    const [summary] = (await list(browser)).items;
    const { status, body } = await getJson<{ item: ApiItem }>(browser, 'GET', `/api/items/${summary?.id ?? ''}`);
    expect(status).toBe(200);
    const html = body.item.contentHtml ?? '';
    expect(html).toContain('Hello');
    for (const bad of [
      '<script',
      'onclick',
      'javascript:',
      'data:',
      '<svg',
      '<meta',
      '<form',
      '<input',
      'style=',
      '<iframe',
    ]) {
      expect(html.toLowerCase()).not.toContain(bad);
    }
    expect(body.item.url).toBeNull();
    expect(body.item.feedTitle).not.toContain('<script');
    // What is stored is already clean: the database never holds the attack either.
    const stored = await server.reader.db
      .selectFrom('items')
      .select('content_html')
      .where('id', '=', Number(summary?.id))
      .executeTakeFirstOrThrow();
    expect(stored.content_html).not.toContain('<script');
  });

  it('resolves relative links in content against the item address', async () => {
    const browser = await signUp();
    await subscribe(browser, '/relative-links.xml');
    await subscribe(browser, '/relative-rss.xml');
    const items = (await list(browser)).items;
    const atomItem = items.find((item) => item.title === 'Relative entry');
    const { body } = await getJson<{ item: ApiItem }>(browser, 'GET', `/api/items/${atomItem?.id ?? ''}`);
    expect(body.item.url).toBe('https://relative.example/blog/posts/hello.html');
    expect(body.item.contentHtml).toContain('href="https://relative.example/blog/about.html"');
    expect(body.item.contentHtml).toContain('src="https://relative.example/blog/posts/img/cat.png"');
    const rssItem = items.find((item) => item.title === 'Relative RSS item');
    expect(rssItem?.url).toBe(fixtures.url('/articles/42'));
  });

  it('marks read and starred, and reports 404 for an unknown or malformed id', async () => {
    const browser = await signUp();
    await subscribe(browser, '/feed.json');
    const [item] = (await list(browser)).items;
    const path = `/api/items/${item?.id ?? ''}`;
    const starred = await getJson<{ item: ApiItem }>(browser, 'PATCH', path, { starred: true });
    expect(starred.body.item).toMatchObject({ starred: true, read: false });
    const read = await getJson<{ item: ApiItem }>(browser, 'PATCH', path, { read: true });
    expect(read.body.item).toMatchObject({ starred: true, read: true });
    expect((await browser.request('PATCH', path, { json: { read: 'yes' } })).status).toBe(400);
    expect((await browser.request('GET', '/api/items/999999999')).status).toBe(404);
    expect((await browser.request('GET', '/api/items/abc')).status).toBe(404);
    expect((await browser.request('GET', '/api/items/1e3')).status).toBe(404);
  });
});

describe('POST /api/items/mark-read', () => {
  it('marks what the view shows up to `upTo`, not what arrived later', async () => {
    const browser = await signUp();
    await subscribe(browser, '/many.xml');
    const upTo = new Date(Date.UTC(2024, 0, 3, 12)).toISOString();
    const { body } = await getJson<{ marked: number }>(browser, 'POST', '/api/items/mark-read', { view: 'all', upTo });
    expect(body.marked).toBe(3);
    const unread = (await list(browser, '?view=unread')).items.map((item) => item.title).sort();
    expect(unread).toEqual(['Many 4', 'Many 5', 'Many 6', 'Many 7']);
    // Again: nothing left to mark in that range.
    expect(
      (await getJson<{ marked: number }>(browser, 'POST', '/api/items/mark-read', { view: 'all', upTo })).body.marked,
    ).toBe(0);
  });

  it('keeps to the subscription, search and user it is given', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const rss = await subscribe(alice, '/rss2.xml');
    await subscribe(alice, '/atom.xml');
    await subscribe(bob, '/rss2.xml');
    const marked = await getJson<{ marked: number }>(alice, 'POST', '/api/items/mark-read', {
      view: 'unread',
      subscriptionId: rss,
      q: 'zeppelins',
    });
    expect(marked.body.marked).toBe(1);
    expect((await list(alice, '?view=unread')).items).toHaveLength(3);
    expect((await list(bob, '?view=unread')).items).toHaveLength(2);
  });

  it('answers 400 to a bad upTo or view, and 404 to another user’s subscription', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const rss = await subscribe(alice, '/rss2.xml');
    expect(
      (await bob.request('POST', '/api/items/mark-read', { json: { view: 'all', upTo: 'yesterday' } })).status,
    ).toBe(400);
    expect((await bob.request('POST', '/api/items/mark-read', { json: { view: 'some' } })).status).toBe(400);
    const foreign = await bob.request('POST', '/api/items/mark-read', { json: { view: 'all', subscriptionId: rss } });
    expect(foreign.status).toBe(404);
    expect((await list(alice, '?view=unread')).items).toHaveLength(2);
  });
});

describe('per-user isolation of items', () => {
  it('answers 404 when user B reads or marks an item of a feed only user A reads', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    await subscribe(alice, '/rss1.rdf');
    const [item] = (await list(alice)).items;
    const path = `/api/items/${item?.id ?? ''}`;
    expect((await bob.request('GET', path)).status).toBe(404);
    expect((await bob.request('PATCH', path, { json: { starred: true } })).status).toBe(404);
    expect((await list(bob)).items).toEqual([]);
    const states = await server.reader.db
      .selectFrom('item_states')
      .selectAll()
      .where('item_id', '=', Number(item?.id))
      .execute();
    expect(states).toEqual([]);
  });

  it('keeps read and starred marks per user on a shared feed', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    await subscribe(alice, '/atom.xml');
    await subscribe(bob, '/atom.xml');
    const [item] = (await list(alice)).items;
    await alice.request('PATCH', `/api/items/${item?.id ?? ''}`, { json: { read: true, starred: true } });
    const bobsView = (await list(bob)).items.find((candidate) => candidate.id === item?.id);
    expect(bobsView).toMatchObject({ read: false, starred: false });
  });
});
