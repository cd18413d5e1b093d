import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { DEFAULT_FETCH_INTERVAL_MS } from '../feeds/backoff.js';
import { NON_PUBLIC_PAGE } from '../fulltext/fetch-article.js';
import { FAILURE_RETRY_MS } from '../fulltext/full-text-service.js';
import type { ReaderLog } from '../service/log.js';
import { fixture, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { FULL_TEXT_FETCHES_PER_USER } from './full-text-routes.js';

interface ApiItem {
  id: string;
  title: string;
  url: string | null;
  contentHtml: string;
  fullTextHtml: string | null;
}
interface ApiSubscription {
  id: string;
  fullText: boolean;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  reason?: string;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
/** A second local server, NOT on the allow-list: whatever reaches it got past the SSRF guard. */
let internal: Server;
let internalOrigin: string;
let internalHits = 0;

const MAX_BYTES = 256 * 1024;
/** Past a feed's next fetch (every 30 minutes), within the session's idle hour. */
const NEXT_FETCH_MS = DEFAULT_FETCH_INTERVAL_MS + 60_000;

/** What the operator reads: the precise reasons users are not told. */
const logLines: string[] = [];
const recordingLog: ReaderLog = {
  info: () => undefined,
  warn: (fields) => logLines.push(JSON.stringify(fields)),
  error: (fields) => logLines.push(JSON.stringify(fields)),
};

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  internal = createServer((_request, response) => {
    internalHits += 1;
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(fixture('article-page.html'));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalOrigin = `http://127.0.0.1:${String((internal.address() as AddressInfo).port)}`;
  server = await startReaderTestServer({
    fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 1000, maxBytes: MAX_BYTES },
    log: recordingLog,
  });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
  internal.closeAllConnections();
  await new Promise((resolve) => internal.close(resolve));
});

interface FeedEntry {
  title: string;
  /** Absolute, or a path on the fixture server. */
  link?: string;
}

/** A truncated feed: each item is one line of summary and a link to the whole article. */
function truncatedFeed(name: string, entries: readonly FeedEntry[]): string {
  const items = entries.map(({ title, link }, index) => {
    const href = link === undefined ? '' : `<link>${link.startsWith('/') ? fixtures.url(link) : link}</link>`;
    const date = new Date(Date.UTC(2024, 0, 1 + index, 12)).toUTCString();
    return `<item><guid>${name}-${title}</guid><title>${title}</title>${href}<pubDate>${date}</pubDate>
      <description>FEED SUMMARY of ${title}… read more</description></item>`;
  });
  return `<rss version="2.0"><channel><title>${name}</title>${items.join('')}</channel></rss>`;
}

/** Serves a feed at /feeds/<name>.xml; call again to change what it lists. */
function serveFeed(name: string, entries: readonly FeedEntry[]): string {
  const path = `/feeds/${name}.xml`;
  const body = truncatedFeed(name, entries);
  fixtures.route(path, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(body);
  });
  return path;
}

function servePage(path: string, body: string | Buffer, contentType = 'text/html; charset=utf-8'): void {
  fixtures.route(path, (_request, response) => {
    response.writeHead(200, { 'Content-Type': contentType }).end(body);
  });
}

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('fulltext'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

async function subscribe(browser: TestBrowser, path: string): Promise<string> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect([200, 201]).toContain(response.status);
  return ((await response.json()) as { subscription: { id: string } }).subscription.id;
}

/** The ids of a subscription's items, by title. */
async function itemIds(browser: TestBrowser, subscriptionId: string): Promise<Record<string, string>> {
  const response = await browser.request('GET', `/api/items?subscriptionId=${subscriptionId}`);
  const { items } = (await response.json()) as { items: ApiItem[] };
  return Object.fromEntries(items.map((item) => [item.title, item.id]));
}

async function fetchFullText(browser: TestBrowser, id: string) {
  const response = await browser.request('POST', `/api/items/${id}/full-text`);
  const body = (await response.json()) as { item: ApiItem } & Problem;
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
}

async function getItem(browser: TestBrowser, id: string): Promise<ApiItem> {
  const response = await browser.request('GET', `/api/items/${id}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { item: ApiItem }).item;
}

async function setFullText(browser: TestBrowser, subscriptionId: string, fullText: unknown) {
  const response = await browser.request('PATCH', `/api/subscriptions/${subscriptionId}`, { json: { fullText } });
  return { status: response.status, body: (await response.json()) as { subscription: ApiSubscription } & Problem };
}

/** One user, one feed with one item linking to `page`; returns the item's id. */
async function oneItemLinkingTo(name: string, link: string) {
  const browser = await signUp();
  const subscriptionId = await subscribe(browser, serveFeed(name, [{ title: 'Only', link }]));
  const ids = await itemIds(browser, subscriptionId);
  return { browser, subscriptionId, id: ids.Only ?? '' };
}

describe('POST /api/items/:id/full-text', () => {
  it('extracts the article of a realistic page: its paragraphs, not its navigation, ads or comments', async () => {
    servePage('/realistic/zeppelin.html', fixture('article-page.html'));
    const { browser, id } = await oneItemLinkingTo('realistic', '/realistic/zeppelin.html');
    const { status, body } = await fetchFullText(browser, id);
    expect(status).toBe(200);
    const html = body.item.fullTextHtml ?? '';
    expect(html).toContain('FULL ARTICLE FIRST PARAGRAPH.');
    expect(html).toContain('The last paragraph looks ahead.');
    // Its relative image made absolute, then served like a feed's (no proxy here: http asked over https).
    expect(html).toContain(`src="${fixtures.origin.replace('http:', 'https:')}/images/zeppelin-frame.jpg"`);
    for (const noise of ['SITE NAVIGATION', 'ADVERTISEMENT', 'COMMENT:', 'FOOTER:']) expect(html).not.toContain(noise);
    // The feed's own text stays what it was, beside the article.
    expect(body.item.contentHtml).toContain('FEED SUMMARY of Only');
  });

  it('answers the second ask from what it kept: the page is fetched once, for every subscriber', async () => {
    servePage('/cache/article.html', fixture('article-page.html'));
    const { browser, subscriptionId, id } = await oneItemLinkingTo('cache', '/cache/article.html');
    expect((await fetchFullText(browser, id)).status).toBe(200);
    expect((await fetchFullText(browser, id)).status).toBe(200);
    const other = await signUp();
    const otherSubscription = await subscribe(other, '/feeds/cache.xml');
    expect(otherSubscription).not.toBe(subscriptionId);
    const second = await fetchFullText(other, id);
    expect(second.body.item.fullTextHtml).toContain('FULL ARTICLE FIRST PARAGRAPH.');
    expect(fixtures.requests('/cache/article.html')).toHaveLength(1);
  });

  it('sanitizes the page like feed content: no script, handler or javascript: address survives', async () => {
    servePage('/hostile/page.html', fixture('article-hostile.html'));
    const { browser, id } = await oneItemLinkingTo('hostile', '/hostile/page.html');
    const { status, body } = await fetchFullText(browser, id);
    expect(status).toBe(200);
    const html = body.item.fullTextHtml ?? '';
    expect(html).toContain('HOSTILE ARTICLE TEXT.');
    expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:|data:text|<iframe|<svg|<form|<meta|style=/iu);
  });

  it('asks for HTML and nothing else', async () => {
    servePage('/accept/page.html', fixture('article-page.html'));
    const { browser, id } = await oneItemLinkingTo('accept', '/accept/page.html');
    await fetchFullText(browser, id);
    expect(fixtures.requests('/accept/page.html')[0]?.accept).toBe('text/html, application/xhtml+xml;q=0.9');
  });
});

describe('full text refuses what it must not fetch or read (answers 422 full_text_unavailable)', () => {
  /** The refusal every user sees, whatever happened at a destination that is not public. */
  async function expectUnavailable(browser: TestBrowser, id: string) {
    const { status, body } = await fetchFullText(browser, id);
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'full_text_unavailable', reason: 'unreachable', detail: NON_PUBLIC_PAGE });
  }

  it.each([
    ['a loopback address off the allow-list', () => `${internalOrigin}/article.html`, 'loopback'],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['a redirect to the metadata address', () => fixtures.url('/redirect-to-metadata'), 'link-local'],
    ['a private address', () => 'http://10.1.2.3/article.html', 'private'],
    ['a .localhost name', () => 'http://admin.localhost/article.html', 'loopback name'],
  ])('refuses an item linking to %s (SSRF), and no request reaches it', async (_what, link, logged) => {
    const { browser, id } = await oneItemLinkingTo(
      `ssrf-${logged.replace(/\W/gu, '')}-${String(logLines.length)}`,
      link(),
    );
    const hitsBefore = internalHits;
    await expectUnavailable(browser, id);
    expect(internalHits).toBe(hitsBefore);
    // The operator is told what the user is not: the guard itself refused it.
    expect(logLines.at(-1)).toContain(logged);
  });

  it('stops reading a page past the size limit', async () => {
    fixtures.route('/limits/huge.html', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(`<html><body><article><p>${'Long words, '.repeat(MAX_BYTES / 5)}</p></article></body></html>`);
    });
    const { browser, id } = await oneItemLinkingTo('huge', '/limits/huge.html');
    await expectUnavailable(browser, id);
    expect(logLines.at(-1)).toContain('The document is larger than 256 KiB.');
  });

  it('gives up on a page that never finishes', async () => {
    fixtures.route('/limits/slow.html', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.write('<html><body><p>The start of a page that never');
    });
    const { browser, id } = await oneItemLinkingTo('slow', '/limits/slow.html');
    await expectUnavailable(browser, id);
    expect(logLines.at(-1)).toContain('No complete answer within 1 s.');
  });

  it.each([
    ['a PDF', 'application/pdf', 'application/pdf, not a web page'],
    ['a feed', 'application/rss+xml', 'application/rss+xml, not a web page'],
    ['an SVG image', 'image/svg+xml', 'image/svg+xml, not a web page'],
    ['a file of no declared type', '', 'a file of no declared type, not a web page'],
  ])('refuses %s: only HTML is read', async (_what, contentType, logged) => {
    const path = `/types/${String(logLines.length)}.bin`;
    fixtures.route(path, (_request, response) => {
      response.writeHead(200, contentType === '' ? {} : { 'Content-Type': contentType });
      response.end(fixture('article-page.html'));
    });
    const { browser, id } = await oneItemLinkingTo(`types-${String(logLines.length)}`, path);
    await expectUnavailable(browser, id);
    expect(logLines.at(-1)).toContain(logged);
  });

  it('says so when a page has no article', async () => {
    servePage('/empty/page.html', '<html><body><nav><a href="/">Home</a></nav></body></html>');
    const { browser, id } = await oneItemLinkingTo('empty', '/empty/page.html');
    await expectUnavailable(browser, id);
    expect(logLines.at(-1)).toContain('No article could be found on the page.');
  });

  it('keeps a failure: the page is not asked again until FAILURE_RETRY_MS has passed', async () => {
    let broken = true;
    fixtures.route('/retry/page.html', (_request, response) => {
      if (broken) response.writeHead(503).end();
      else response.writeHead(200, { 'Content-Type': 'text/html' }).end(fixture('article-page.html'));
    });
    const { browser, id } = await oneItemLinkingTo('retry', '/retry/page.html');
    await expectUnavailable(browser, id);
    broken = false;
    await expectUnavailable(browser, id);
    expect(fixtures.requests('/retry/page.html')).toHaveLength(1);
    server.advance(FAILURE_RETRY_MS);
    expect((await fetchFullText(browser, id)).status).toBe(200);
    expect(fixtures.requests('/retry/page.html')).toHaveLength(2);
  });
});

describe('who may fetch which item', () => {
  it('answers 404 for another user’s item, and fetches nothing', async () => {
    servePage('/private/page.html', fixture('article-page.html'));
    const { id } = await oneItemLinkingTo('private', '/private/page.html');
    const stranger = await signUp();
    const { status, body } = await fetchFullText(stranger, id);
    expect(status).toBe(404);
    expect(body.code).toBe('not_found');
    expect(fixtures.requests('/private/page.html')).toHaveLength(0);
  });

  it('answers 404 to an unsubscribed user, even for an item whose article is kept', async () => {
    servePage('/former/page.html', fixture('article-page.html'));
    const { browser, subscriptionId, id } = await oneItemLinkingTo('former', '/former/page.html');
    expect((await fetchFullText(browser, id)).status).toBe(200);
    expect((await browser.request('DELETE', `/api/subscriptions/${subscriptionId}`)).status).toBe(204);
    expect((await fetchFullText(browser, id)).status).toBe(404);
  });

  it.each(['abc', '0', '-1', '1e3', '0x10', '999999999', '1234567890123456', '__proto__', '%20'])(
    'answers 404 to the item id %j',
    async (id) => {
      const browser = await signUp();
      const { status, body } = await fetchFullText(browser, id);
      expect(status).toBe(404);
      expect(body.code).toBe('not_found');
    },
  );

  it('answers 409 for an item without a link', async () => {
    const browser = await signUp();
    const subscriptionId = await subscribe(browser, serveFeed('linkless', [{ title: 'No link' }]));
    const ids = await itemIds(browser, subscriptionId);
    const { status, body } = await fetchFullText(browser, ids['No link'] ?? '');
    expect(status).toBe(409);
    expect(body.code).toBe('conflict');
  });

  it('answers 401 without a session and 403 without the CSRF token', async () => {
    const anonymous = new TestBrowser(server.origin);
    expect((await anonymous.request('POST', '/api/items/1/full-text')).status).toBe(401);
    const browser = await signUp();
    const response = await browser.request('POST', '/api/items/1/full-text', { csrf: false });
    expect(response.status).toBe(403);
  });

  it(`limits one user to ${String(FULL_TEXT_FETCHES_PER_USER.limit)} page fetches per window; kept answers stay free`, async () => {
    const count = FULL_TEXT_FETCHES_PER_USER.limit + 1;
    const entries = Array.from({ length: count }, (_, n) => {
      servePage(`/flood/${String(n)}.html`, fixture('article-page.html'));
      return { title: `Flood ${String(n)}`, link: `/flood/${String(n)}.html` };
    });
    const browser = await signUp();
    const ids = Object.values(await itemIds(browser, await subscribe(browser, serveFeed('flood', entries))));
    expect(ids).toHaveLength(count);
    const statuses: number[] = [];
    for (const id of ids) statuses.push((await fetchFullText(browser, id)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(FULL_TEXT_FETCHES_PER_USER.limit);
    const refused = await fetchFullText(browser, ids.at(-1) ?? '');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // What is kept needs no fetch, so it is still answered.
    expect((await fetchFullText(browser, ids[0] ?? '')).status).toBe(200);
    // Another user is not held back by this one.
    const other = await signUp();
    await subscribe(other, '/feeds/flood.xml');
    expect((await fetchFullText(other, ids.at(-1) ?? '')).status).toBe(200);
    server.advance(FULL_TEXT_FETCHES_PER_USER.windowMs);
  });
});

describe('full text per subscription', () => {
  it('PATCH fullText switches it, and the item API shows the article only to that subscription', async () => {
    servePage('/auto/one.html', fixture('article-page.html'));
    servePage('/auto/two.html', fixture('article-page-zh.html'));
    const feed = serveFeed('auto', [{ title: 'One', link: '/auto/one.html' }]);
    const reader = await signUp();
    const subscriptionId = await subscribe(reader, feed);
    const bystander = await signUp();
    await subscribe(bystander, feed);
    const switched = await setFullText(reader, subscriptionId, true);
    expect(switched.status).toBe(200);
    expect(switched.body.subscription.fullText).toBe(true);

    // Switching on extracts the newest items at once, in the background.
    await server.reader.fullText.idle();
    const one = (await itemIds(reader, subscriptionId)).One ?? '';
    expect((await getItem(reader, one)).fullTextHtml).toContain('FULL ARTICLE FIRST PARAGRAPH.');
    expect((await getItem(bystander, one)).fullTextHtml).toBeNull();

    // A new item, on the next fetch of the feed, is extracted after it is stored.
    serveFeed('auto', [
      { title: 'One', link: '/auto/one.html' },
      { title: 'Two', link: '/auto/two.html' },
    ]);
    server.advance(NEXT_FETCH_MS);
    await server.reader.scheduler.runDue();
    await server.reader.fullText.idle();
    expect(fixtures.requests('/auto/two.html')).toHaveLength(1);
    const two = (await itemIds(reader, subscriptionId)).Two ?? '';
    expect((await getItem(reader, two)).fullTextHtml).toContain('正文第一段');
    expect(fixtures.requests('/auto/one.html')).toHaveLength(1);

    // Switched off, the feed's text is shown again.
    expect((await setFullText(reader, subscriptionId, false)).body.subscription.fullText).toBe(false);
    expect((await getItem(reader, two)).fullTextHtml).toBeNull();
  });

  it('fetches no page for a feed nobody wants full text of', async () => {
    servePage('/manual/one.html', fixture('article-page.html'));
    servePage('/manual/two.html', fixture('article-page.html'));
    const browser = await signUp();
    const subscriptionId = await subscribe(browser, serveFeed('manual', [{ title: 'One', link: '/manual/one.html' }]));
    expect((await getItem(browser, (await itemIds(browser, subscriptionId)).One ?? '')).fullTextHtml).toBeNull();
    serveFeed('manual', [
      { title: 'One', link: '/manual/one.html' },
      { title: 'Two', link: '/manual/two.html' },
    ]);
    server.advance(NEXT_FETCH_MS);
    await server.reader.scheduler.runDue();
    await server.reader.fullText.idle();
    expect(Object.keys(await itemIds(browser, subscriptionId))).toContain('Two');
    expect(fixtures.requests('/manual/one.html')).toHaveLength(0);
    expect(fixtures.requests('/manual/two.html')).toHaveLength(0);
  });

  it('records a background failure, and does not try that page again by itself', async () => {
    const feed = serveFeed('failing', [{ title: 'Broken', link: '/failing/broken.html' }]);
    fixtures.route('/failing/broken.html', (_request, response) => {
      response.writeHead(500).end();
    });
    const browser = await signUp();
    const subscriptionId = await subscribe(browser, feed);
    await setFullText(browser, subscriptionId, true);
    await server.reader.fullText.idle();
    expect(fixtures.requests('/failing/broken.html')).toHaveLength(1);
    // The user's button answers with the kept failure.
    const broken = (await itemIds(browser, subscriptionId)).Broken ?? '';
    expect((await fetchFullText(browser, broken)).status).toBe(422);
    expect(fixtures.requests('/failing/broken.html')).toHaveLength(1);
    // Fetched again with a new item: the broken one is not retried by the background.
    serveFeed('failing', [
      { title: 'Broken', link: '/failing/broken.html' },
      { title: 'Other', link: '/failing/other.html' },
    ]);
    server.advance(NEXT_FETCH_MS);
    await server.reader.scheduler.runDue();
    await server.reader.fullText.idle();
    expect(fixtures.requests('/failing/other.html')).toHaveLength(1);
    expect(fixtures.requests('/failing/broken.html')).toHaveLength(1);
  });

  it.each([['yes'], [1], [null]])('refuses fullText %j with 400, changing nothing', async (value) => {
    const browser = await signUp();
    const subscriptionId = await subscribe(browser, '/rss2.xml');
    const { status, body } = await setFullText(browser, subscriptionId, value);
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
    const list = await browser.request('GET', '/api/subscriptions');
    const { subscriptions } = (await list.json()) as { subscriptions: ApiSubscription[] };
    expect(subscriptions.find((subscription) => subscription.id === subscriptionId)?.fullText).toBe(false);
  });

  it('answers 404 when switching another user’s subscription', async () => {
    const owner = await signUp();
    const subscriptionId = await subscribe(owner, '/atom.xml');
    const stranger = await signUp();
    expect((await setFullText(stranger, subscriptionId, true)).status).toBe(404);
  });
});
