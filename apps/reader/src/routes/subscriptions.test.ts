import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import type { ReaderLog } from '../service/log.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

interface ApiSubscription {
  id: string;
  title: string;
  feedUrl: string;
  siteUrl: string | null;
  folderId: string | null;
  unreadCount: number;
  status: { lastFetchedAt: string | null; lastError: string | null; nextFetchAt: string | null };
}
interface Problem {
  code: string;
  detail: string;
  errors?: Record<string, string>;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

/** All a user hears about a failure at a destination that is not public. */
const GENERIC = 'Could not fetch a feed from that address.';

/** What the operator reads: the reader's warnings, kept for the tests to check. */
interface LogLine {
  fields: Record<string, unknown>;
  message: string;
}
function recordingLog(): { log: ReaderLog; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const keep = (fields: object, message: string) => {
    lines.push({ fields: fields as Record<string, unknown>, message });
  };
  return { lines, log: { info: keep, warn: keep, error: keep } };
}
const serverLog = recordingLog();

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({
    fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 1000, maxBytes: 256 * 1024 },
    log: serverLog.log,
  });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('reader'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

async function subscribe(browser: TestBrowser, body: Record<string, unknown>) {
  const response = await browser.request('POST', '/api/subscriptions', { json: body });
  return { status: response.status, body: (await response.json()) as { subscription: ApiSubscription } & Problem };
}

async function feedRows() {
  return server.reader.db.selectFrom('feeds').select(['url']).execute();
}

describe('POST /api/subscriptions', () => {
  it.each([
    ['/rss2.xml', 'Fixture RSS & Friends', 2],
    ['/rss1.rdf', 'Fixture RDF', 1],
    ['/atom.xml', 'Fixture Atom', 2],
    ['/feed.json', 'Fixture JSON Feed', 2],
    ['/gb2312.xml', '中文测试频道', 1],
    ['/windows-1252.xml', 'Café “Quotes”', 1],
  ])('subscribes to %s, fetching and storing it before answering', async (path, title, itemCount) => {
    const browser = await signUp();
    const { status, body } = await subscribe(browser, { url: fixtures.url(path) });
    expect(status).toBe(201);
    expect(body.subscription).toMatchObject({
      title,
      feedUrl: fixtures.url(path),
      unreadCount: itemCount,
      folderId: null,
    });
    expect(body.subscription.status.lastFetchedAt).toBe(new Date(server.now()).toISOString());
    expect(body.subscription.status.lastError).toBeNull();
    const items = (await (
      await browser.request('GET', `/api/items?subscriptionId=${body.subscription.id}`)
    ).json()) as {
      items: { title: string }[];
    };
    expect(items.items).toHaveLength(itemCount);
  });

  it('finds the feed of a site page through <link rel="alternate">', async () => {
    const browser = await signUp();
    const { status, body } = await subscribe(browser, { url: fixtures.url('/site.html') });
    expect(status).toBe(201);
    expect(body.subscription.feedUrl).toBe(fixtures.url('/rss2.xml'));
  });

  it('answers 200 with the existing subscription when already subscribed', async () => {
    const browser = await signUp();
    const first = await subscribe(browser, { url: fixtures.url('/atom.xml') });
    const second = await subscribe(browser, { url: fixtures.url('/atom.xml') });
    expect(second.status).toBe(200);
    expect(second.body.subscription.id).toBe(first.body.subscription.id);
    const list = (await (await browser.request('GET', '/api/subscriptions')).json()) as { subscriptions: unknown[] };
    expect(list.subscriptions).toHaveLength(1);
  });

  it('shares one feed row between users and does not fetch a known feed again', async () => {
    fixtures.route('/shared.xml', (_request, response) => {
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml' })
        .end(
          '<rss version="2.0"><channel><title>Shared</title><item><guid>s1</guid><title>S</title></item></channel></rss>',
        );
    });
    const [alice, bob] = [await signUp(), await signUp()];
    expect((await subscribe(alice, { url: fixtures.url('/shared.xml') })).status).toBe(201);
    expect((await subscribe(bob, { url: fixtures.url('/shared.xml') })).status).toBe(201);
    expect(fixtures.requests('/shared.xml')).toHaveLength(1);
    expect((await feedRows()).filter((row) => row.url === fixtures.url('/shared.xml'))).toHaveLength(1);
  });

  it.each([
    ['/broken.xml', 'malformed'],
    ['/site-without-feed.html', 'does not link to one'],
    ['/huge.xml', 'larger than 256 KiB'],
    ['/slow.xml', 'No complete answer within 1 s'],
    ['/missing.xml', 'HTTP 404'],
    ['/rate-limited.xml', 'HTTP 429'],
    ['/redirect-to-metadata', '169.254.169.254 is a link-local (cloud metadata) address'],
  ])('refuses %s with a 400, stores nothing, and logs why (%s)', async (path, reason) => {
    // The fixture server is allow-listed loopback, not a public address: the user hears the
    // generic sentence, the operator's log has the reason.
    const browser = await signUp();
    const before = await feedRows();
    const { status, body } = await subscribe(browser, { url: fixtures.url(path) });
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
    expect(body.detail).toBe(`Could not subscribe to ${fixtures.url(path)}: ${GENERIC}`);
    expect(body.errors?.url).toBe(GENERIC);
    expect(serverLog.lines.at(-1)?.fields.reason).toContain(reason);
    expect(await feedRows()).toEqual(before);
  });

  it.each([
    ['http://127.0.0.1:1/feed.xml', GENERIC],
    ['http://169.254.169.254/latest/meta-data/', GENERIC],
    ['http://10.0.0.1/feed.xml', GENERIC],
    ['http://[::1]/feed.xml', GENERIC],
    ['http://localhost/feed.xml', GENERIC],
    ['javascript:alert(1)', 'Only http and https'],
    ['file:///etc/passwd', 'Only http and https'],
  ])('refuses %s (SSRF guard) with 400', async (url, detail) => {
    const browser = await signUp();
    const { status, body } = await subscribe(browser, { url });
    expect(status).toBe(400);
    expect(body.detail).toContain(detail);
  });

  it('refuses the fixture server itself when it is not on the allow-list', async () => {
    const strict = await startReaderTestServer();
    try {
      const browser = new TestBrowser(strict.origin);
      await browser.signup(uniqueEmail('strict'), GOOD_PASSWORD);
      const response = await browser.request('POST', '/api/subscriptions', {
        json: { url: fixtures.url('/rss2.xml') },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as Problem).detail).toContain(GENERIC);
    } finally {
      await strict.close();
    }
  });

  it.each([
    [{}, 'url'],
    [{ url: '' }, 'url'],
    [{ url: 42 }, 'url'],
    [{ url: 'x'.repeat(3000) }, 'url'],
    [{ url: 'https://x.example/', title: 5 }, 'title'],
  ])('answers 400 for a bad body %j', async (json, field) => {
    const browser = await signUp();
    const { status, body } = await subscribe(browser, json);
    expect(status).toBe(400);
    expect(body.errors?.[field]).toBeDefined();
  });

  it('answers 415 to a form post and 401 without a session', async () => {
    const browser = await signUp();
    const form = await browser.request('POST', '/api/subscriptions', {
      body: 'url=https://x.example/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const anonymous = new TestBrowser(server.origin);
    expect((await anonymous.request('GET', '/api/subscriptions')).status).toBe(401);
  });

  it('answers 404 for a folder that is not the user’s', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const folder = (await (await alice.request('POST', '/api/folders', { json: { name: 'Mine' } })).json()) as {
      folder: { id: string };
    };
    const { status } = await subscribe(bob, { url: fixtures.url('/rss2.xml'), folderId: folder.folder.id });
    expect(status).toBe(404);
  });
});

describe('PATCH, DELETE and refresh of /api/subscriptions/:id', () => {
  it('renames, files into a folder, resets the title and moves out again', async () => {
    const browser = await signUp();
    const { body } = await subscribe(browser, { url: fixtures.url('/rss2.xml') });
    const id = body.subscription.id;
    const folder = (await (await browser.request('POST', '/api/folders', { json: { name: 'News' } })).json()) as {
      folder: { id: string };
    };
    const patch = async (json: unknown) =>
      (await (await browser.request('PATCH', `/api/subscriptions/${id}`, { json })).json()) as {
        subscription: ApiSubscription;
      };
    expect((await patch({ title: 'My name', folderId: folder.folder.id })).subscription).toMatchObject({
      title: 'My name',
      folderId: folder.folder.id,
    });
    expect((await patch({ title: '' })).subscription.title).toBe('Fixture RSS & Friends');
    expect((await patch({ folderId: null })).subscription.folderId).toBeNull();
  });

  it('unsubscribes, taking the user’s read and star marks with it', async () => {
    const browser = await signUp();
    const { body } = await subscribe(browser, { url: fixtures.url('/rss2.xml') });
    const items = (await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] };
    const itemId = items.items[0]?.id ?? '';
    await browser.request('PATCH', `/api/items/${itemId}`, { json: { starred: true } });
    const userStates = () =>
      server.reader.db.selectFrom('item_states').selectAll().where('item_id', '=', Number(itemId));
    expect(await userStates().execute()).toHaveLength(1);

    expect((await browser.request('DELETE', `/api/subscriptions/${body.subscription.id}`)).status).toBe(204);
    expect(await userStates().execute()).toHaveLength(0);
    expect((await browser.request('GET', `/api/items/${itemId}`)).status).toBe(404);
    // The shared feed and its items stay for everyone else.
    expect(
      await server.reader.db.selectFrom('items').select('id').where('id', '=', Number(itemId)).execute(),
    ).toHaveLength(1);
  });

  it('"refresh now" makes the feed due and answers 202', async () => {
    const browser = await signUp();
    const { body } = await subscribe(browser, { url: fixtures.url('/feed.json') });
    server.advance(5 * 60_000);
    const response = await browser.request('POST', `/api/subscriptions/${body.subscription.id}/refresh`);
    expect(response.status).toBe(202);
    const refreshed = ((await response.json()) as { subscription: ApiSubscription }).subscription;
    expect(refreshed.status.nextFetchAt).toBe(new Date(server.now()).toISOString());
  });

  it('does not let "refresh now" fetch again within a minute of the last fetch', async () => {
    const browser = await signUp();
    fixtures.route('/fresh.xml', (_request, response) => {
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml' })
        .end('<rss version="2.0"><channel><title>Fresh</title></channel></rss>');
    });
    const { body } = await subscribe(browser, { url: fixtures.url('/fresh.xml') });
    const response = await browser.request('POST', `/api/subscriptions/${body.subscription.id}/refresh`);
    const refreshed = ((await response.json()) as { subscription: ApiSubscription }).subscription;
    expect(refreshed.status.nextFetchAt).toBe(new Date(server.now() + 60_000).toISOString());
  });
});

describe('per-user isolation of subscriptions', () => {
  it('answers 404 when user B reads, changes, refreshes or deletes user A’s subscription', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const { body } = await subscribe(alice, { url: fixtures.url('/atom.xml') });
    const path = `/api/subscriptions/${body.subscription.id}`;
    expect((await bob.request('PATCH', path, { json: { title: 'mine now' } })).status).toBe(404);
    expect((await bob.request('POST', `${path}/refresh`)).status).toBe(404);
    expect((await bob.request('DELETE', path)).status).toBe(404);
    expect((await bob.request('GET', `/api/items?subscriptionId=${body.subscription.id}`)).status).toBe(404);
    const bobs = (await (await bob.request('GET', '/api/subscriptions')).json()) as { subscriptions: unknown[] };
    expect(bobs.subscriptions).toEqual([]);
    const alices = (await (await alice.request('GET', '/api/subscriptions')).json()) as {
      subscriptions: ApiSubscription[];
    };
    expect(alices.subscriptions[0]?.title).toBe('Fixture Atom');
  });
});

/** A port nothing listens on: what a port scan finds closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

describe('failures at a destination users cannot reach themselves (port-scan oracle)', () => {
  // 127.0.0.1 allow-listed without a port, as an operator might open an internal host: every
  // port of it is reachable through the reader. Told apart, "refused", "timed out",
  // "connection refused" and "not a feed" would map that host's ports and paths.
  let scanned: ReaderTestServer;
  const scannedLog = recordingLog();

  beforeAll(async () => {
    scanned = await startReaderTestServer({
      fetchPolicy: { allowHosts: ['127.0.0.1'], timeoutMs: 500 },
      log: scannedLog.log,
    });
  });
  afterAll(async () => {
    await scanned.close();
  });

  it('a refused, a timed-out and a not-a-feed private destination give the same message', async () => {
    const browser = new TestBrowser(scanned.origin);
    expect((await browser.signup(uniqueEmail('scan'), GOOD_PASSWORD)).status).toBe(201);
    const targets: [string, string][] = [
      ['http://10.0.0.1/feed.xml', '10.0.0.1 is a private address'],
      ['http://localhost/feed.xml', 'loopback name'],
      [fixtures.url('/slow.xml'), 'No complete answer'],
      [`http://127.0.0.1:${String(await closedPort())}/feed.xml`, 'refused the connection'],
      [fixtures.url('/site-without-feed.html'), 'does not link to one'],
      [fixtures.url('/broken.xml'), 'malformed'],
      [fixtures.url('/missing.xml'), 'HTTP 404'],
    ];
    for (const [url, reason] of targets) {
      const response = await browser.request('POST', '/api/subscriptions', { json: { url } });
      expect(response.status, url).toBe(400);
      const body = (await response.json()) as Problem;
      expect(body.detail, url).toBe(`Could not subscribe to ${url}: ${GENERIC}`);
      expect(body.errors, url).toEqual({ url: GENERIC });
      // The operator still reads the precise reason.
      expect(scannedLog.lines.at(-1)?.fields.reason, url).toContain(reason);
    }
  });

  it('a feed there that starts failing shows subscribers the same message as its last error', async () => {
    let serving: 'feed' | 'page' | 'nothing' = 'feed';
    fixtures.route('/turns-bad.xml', (_request, response) => {
      if (serving === 'feed') {
        response
          .writeHead(200, { 'Content-Type': 'application/rss+xml' })
          .end('<rss version="2.0"><channel><title>Turns bad</title></channel></rss>');
      } else if (serving === 'page') {
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('just text');
      } else {
        response.writeHead(404).end();
      }
    });
    const browser = new TestBrowser(scanned.origin);
    expect((await browser.signup(uniqueEmail('scan'), GOOD_PASSWORD)).status).toBe(201);
    const created = await browser.request('POST', '/api/subscriptions', {
      json: { url: fixtures.url('/turns-bad.xml') },
    });
    expect(created.status).toBe(201);
    for (const [next, reason] of [
      ['page', 'not an RSS'],
      ['nothing', 'HTTP 404'],
    ] as const) {
      serving = next;
      // Due now (the only feed of this server): the back-off would otherwise wait an hour.
      await scanned.reader.db.updateTable('feeds').set({ next_fetch_at: scanned.now() }).execute();
      await scanned.reader.scheduler.runDue();
      const list = (await (await browser.request('GET', '/api/subscriptions')).json()) as {
        subscriptions: ApiSubscription[];
      };
      expect(list.subscriptions[0]?.status.lastError).toBe(GENERIC);
      expect(scannedLog.lines.at(-1)?.fields.reason).toContain(reason);
    }
  });
});
