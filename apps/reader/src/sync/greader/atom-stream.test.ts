import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { parseFeedDocument } from '../../feeds/parse-feed.js';
import { MediaUrls } from '../../media/media-urls.js';
import { wellFormednessError } from '../../opml/well-formed-xml.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { atomStream } from './atom-stream.js';
import { GreaderTestClient } from './greader-test-client.js';
import { longItemId } from './item-ids.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

/** Eight items a day apart, so n=5 leaves a next page. */
function eightItems(): string {
  const items = [1, 2, 3, 4, 5, 6, 7, 8].map(
    (
      n,
    ) => `<item><guid>eight-${String(n)}</guid><title>Eight ${String(n)}</title><link>https://eight.example/${String(n)}</link>
      <pubDate>${new Date(Date.UTC(2024, 1, n, 9)).toUTCString()}</pubDate><description>Body ${String(n)}</description></item>`,
  );
  return `<rss version="2.0"><channel><title>Eight &amp; Co</title><link>https://eight.example/</link>${items.join('')}</channel></rss>`;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/eight.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(eightItems());
  });
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function syncUser(feed: string) {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-atom');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const subscribed = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(feed) } });
  expect(subscribed.status).toBe(201);
  const { password } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  const userId = (await client.getJson<{ userId: string }>('/reader/api/0/user-info')).userId;
  const items = ((await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] }).items;
  return { browser, client, userId, items };
}

function categories(entry: string): string[] {
  return [
    ...entry.matchAll(/<category term="([^"]+)" scheme="http:\/\/www\.google\.com\/reader\/" label="([^"]+)"\/>/gu),
  ].map((match) => `${match[2] ?? ''}=${match[1] ?? ''}`);
}

describe('GET /reader/atom/<stream>', () => {
  it('serves a feed’s stream as valid Atom, newest first, n at a time, with read and starred categories', async () => {
    const { client, browser, userId, items } = await syncUser('/eight.xml');
    const [newest, second] = items;
    await browser.request('PATCH', `/api/items/${newest?.id ?? ''}`, { json: { read: true } });
    await browser.request('PATCH', `/api/items/${second?.id ?? ''}`, { json: { starred: true } });
    const list = await client.getJson<{ subscriptions: { id: string }[] }>('/reader/api/0/subscription/list', {
      output: 'json',
    });
    const streamId = list.subscriptions[0]?.id ?? '';
    // Exactly the URL newsboat builds: the stream id percent-encoded whole, then ?n=.
    const response = await client.get(`/reader/atom/${encodeURIComponent(streamId)}`, { n: '5' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await response.text();
    expect(wellFormednessError(xml)).toBeNull();
    const parsed = parseFeedDocument(xml, 'https://reader.example/atom');
    expect(parsed.title).toBe('Eight & Co');
    expect(parsed.items.map((item) => item.title)).toEqual(['Eight 8', 'Eight 7', 'Eight 6', 'Eight 5', 'Eight 4']);
    expect(parsed.items[0]).toMatchObject({ url: 'https://eight.example/8' });
    expect(parsed.items[0]?.publishedAt).toBe(Date.UTC(2024, 1, 8, 9));

    const entries = xml.split('<entry>').slice(1);
    expect(entries[0]).toContain(`<id>${longItemId(Number(newest?.id))}</id>`);
    expect(categories(entries[0] ?? '')).toEqual([
      `reading-list=user/${userId}/state/com.google/reading-list`,
      `read=user/${userId}/state/com.google/read`,
    ]);
    expect(categories(entries[1] ?? '')).toEqual([
      `reading-list=user/${userId}/state/com.google/reading-list`,
      `fresh=user/${userId}/state/com.google/fresh`,
      `starred=user/${userId}/state/com.google/starred`,
    ]);
    expect(xml).toMatch(/<gr:continuation>[\w-]+<\/gr:continuation>/u);
  });

  it('pages with the continuation, and serves the reading list and the starred stream', async () => {
    const { client, browser, items } = await syncUser('/eight.xml');
    const first = await (await client.get('/reader/atom/user/-/state/com.google/reading-list', { n: '5' })).text();
    const continuation = /<gr:continuation>([\w-]+)<\/gr:continuation>/u.exec(first)?.[1] ?? '';
    const rest = await (
      await client.get('/reader/atom/user%2F-%2Fstate%2Fcom.google%2Freading-list', { n: '5', c: continuation })
    ).text();
    expect(parseFeedDocument(rest, 'https://r.example/').items.map((item) => item.title)).toEqual([
      'Eight 3',
      'Eight 2',
      'Eight 1',
    ]);
    expect(rest).not.toContain('gr:continuation');
    await browser.request('PATCH', `/api/items/${items[2]?.id ?? ''}`, { json: { starred: true } });
    const starred = await (await client.get('/reader/atom/user/-/state/com.google/starred')).text();
    expect(parseFeedDocument(starred, 'https://r.example/').items.map((item) => item.title)).toEqual(['Eight 6']);
    // newsboat's "special feeds" include shared items: empty, not an error.
    const shared = await client.get('/reader/atom/user/-/state/com.google/broadcast');
    expect(shared.status).toBe(200);
    expect(await shared.text()).not.toContain('<entry>');
  });

  it('answers 404 for a feed the user does not read and 400 for a malformed stream or n', async () => {
    const { client } = await syncUser('/eight.xml');
    const unknown = await client.get(`/reader/atom/${encodeURIComponent('feed/00000000-0000-0000-0000-000000000000')}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/^Error=UnknownStream\n/u);
    for (const [path, query] of [
      ['/reader/atom/nonsense', {}],
      ['/reader/atom/%E0%A4%A', {}],
      ['/reader/atom/user/-/state/com.google/reading-list', { n: '100000' }],
    ] as const) {
      const response = await client.get(path, query);
      expect(response.status, path).toBe(400);
      expect(await response.text()).toMatch(/^Error=\w+\n/u);
    }
  });
});

describe('atomStream', () => {
  it('escapes hostile text everywhere and drops characters XML forbids', () => {
    const hostile = `</title><script>alert("x")</script>&amp;'\u0000\u0007\uFFFF`;
    const xml = atomStream({
      streamId: 'feed/abc',
      title: hostile,
      userId: 'u"1',
      now: Date.UTC(2024, 5, 1),
      continuation: undefined,
      imageUrl: MediaUrls.off().forApps,
      items: [
        {
          id: 7,
          feedId: 'abc',
          feedTitle: hostile,
          siteUrl: 'https://x.example/?a=1&b="2"',
          folderName: null,
          title: hostile,
          author: hostile,
          url: 'https://x.example/post?a=1&b=<2>',
          contentHtml: `<p>ok</p><script>bad()</script>${hostile}`,
          publishedAt: Date.UTC(2024, 0, 1),
          fetchedAt: Date.UTC(2024, 0, 1),
          read: true,
          starred: false,
        },
      ],
    });
    expect(wellFormednessError(xml)).toBeNull();
    expect(xml).not.toContain('<script');
    // eslint-disable-next-line no-control-regex -- the forbidden characters are what is looked for
    expect(xml).not.toMatch(/[\u0000-\u0008\uFFFF]/u);
    expect(xml).toContain('href="https://x.example/post?a=1&amp;b=&lt;2&gt;"');
    const parsed = parseFeedDocument(xml, 'https://r.example/');
    expect(parsed.items[0]?.title).toBe(`</title><script>alert("x")</script>&amp;'`);
    // The content is the sanitized HTML, escaped once: no script survives either layer.
    expect(parsed.items[0]?.contentHtml).toContain('<p>ok</p>');
    expect(parsed.items[0]?.contentHtml).not.toContain('bad()');
  });
});
