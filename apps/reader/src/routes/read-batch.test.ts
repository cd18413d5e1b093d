import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

// POST /api/items/read { ids }: what the web app sends for the items it saw scroll past
// (mark as read on scroll), a batch at a time.

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/private.xml', (_request, response) => {
    response
      .writeHead(200, { 'Content-Type': 'application/rss+xml' })
      .end(
        '<rss version="2.0"><channel><title>Only Bob</title><item><guid>b1</guid><title>Bob 1</title></item></channel></rss>',
      );
  });
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host] } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function readerOf(path: string): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('batch'), GOOD_PASSWORD)).status).toBe(201);
  const subscribed = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(subscribed.status).toBe(201);
  return browser;
}

async function readMarks(browser: TestBrowser): Promise<Record<string, boolean>> {
  const page = (await (await browser.request('GET', '/api/items')).json()) as {
    items: { id: string; read: boolean }[];
  };
  return Object.fromEntries(page.items.map((item) => [item.id, item.read]));
}

function markRead(browser: TestBrowser, json: unknown) {
  return browser.request('POST', '/api/items/read', { json });
}

describe('POST /api/items/read', () => {
  it('marks exactly the items named, and again is harmless', async () => {
    const alice = await readerOf('/rss2.xml');
    const [first, second] = Object.keys(await readMarks(alice));
    expect(second).toBeDefined();
    expect((await markRead(alice, { ids: [first] })).status).toBe(204);
    expect(await readMarks(alice)).toEqual({ [first ?? '']: true, [second ?? '']: false });
    expect((await markRead(alice, { ids: [first, first] })).status).toBe(204);
    expect(await readMarks(alice)).toEqual({ [first ?? '']: true, [second ?? '']: false });
  });

  it('refuses a batch holding another user’s item with 404, and marks none of it', async () => {
    const alice = await readerOf('/rss2.xml');
    const bob = await readerOf('/private.xml');
    const [bobsItem] = Object.keys(await readMarks(bob));
    const [alicesItem] = Object.keys(await readMarks(alice));
    const refused = await markRead(alice, { ids: [alicesItem, bobsItem] });
    expect(refused.status).toBe(404);
    expect(Object.values(await readMarks(alice))).toEqual([false, false]);
    expect(Object.values(await readMarks(bob))).toEqual([false]);
  });

  it.each([
    ['no ids', {}],
    ['an empty list', { ids: [] }],
    ['a number instead of an id string', { ids: [1] }],
    ['an id that is not a number', { ids: ['1 OR 1=1'] }],
    ['more than 100 ids', { ids: Array.from({ length: 101 }, (_, n) => String(n + 1)) }],
  ])('refuses %s with 400 validation_failed', async (_name, body) => {
    const alice = await readerOf('/rss2.xml');
    const refused = await markRead(alice, body);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('validation_failed');
    expect(Object.values(await readMarks(alice))).toEqual([false, false]);
  });

  it('answers 401 when signed out, and refuses a cross-site POST', async () => {
    const alice = await readerOf('/rss2.xml');
    const ids = Object.keys(await readMarks(alice));
    expect((await new TestBrowser(server.origin).request('POST', '/api/items/read', { json: { ids } })).status).toBe(
      401,
    );
    const forged = await alice.request('POST', '/api/items/read', {
      json: { ids },
      csrf: false,
      origin: 'https://attacker.example',
      secFetchSite: 'cross-site',
    });
    expect(forged.status).toBe(403);
    expect(Object.values(await readMarks(alice))).toEqual([false, false]);
  });
});
