import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { loadCatalogue } from '../catalogue/catalogue.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

interface ApiFolder {
  id: string;
  name: string;
  unreadCount: number;
}
interface ApiSubscription {
  id: string;
  title: string;
  feedUrl: string;
  folderId: string | null;
  unreadCount: number;
}

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  // The catalogue points at the local fixture server, as READER_CATALOGUE_FILE would.
  const catalogueFile = join(tmpdir(), `gh-catalogue-${String(process.pid)}.json`);
  writeFileSync(
    catalogueFile,
    JSON.stringify({
      topics: [
        {
          id: 'local',
          name: 'Local fixtures',
          feeds: [
            {
              id: 'fixture-rss',
              title: 'Fixture RSS',
              siteUrl: 'https://rss.example/',
              feedUrl: fixtures.url('/rss2.xml'),
              description: 'The RSS fixture',
              language: 'en',
            },
          ],
        },
      ],
    }),
  );
  server = await startReaderTestServer({
    fetchPolicy: { allowHosts: [fixtures.host] },
    catalogue: loadCatalogue(catalogueFile),
  });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('folders'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a JSON body
async function call<T>(browser: TestBrowser, method: string, path: string, json?: unknown) {
  const response = await browser.request(method, path, json === undefined ? {} : { json });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function subscriptions(browser: TestBrowser): Promise<ApiSubscription[]> {
  return (await call<{ subscriptions: ApiSubscription[] }>(browser, 'GET', '/api/subscriptions')).body.subscriptions;
}

describe('folders', () => {
  it('creates, lists by name with unread counts, renames and deletes', async () => {
    const browser = await signUp();
    const zeta = await call<{ folder: ApiFolder }>(browser, 'POST', '/api/folders', { name: '  Zeta ' });
    expect(zeta.status).toBe(201);
    expect(zeta.body.folder).toMatchObject({ name: 'Zeta', unreadCount: 0 });
    const alpha = (await call<{ folder: ApiFolder }>(browser, 'POST', '/api/folders', { name: 'Alpha' })).body.folder;
    await call(browser, 'POST', '/api/subscriptions', { url: fixtures.url('/rss2.xml'), folderId: alpha.id });

    const listed = (await call<{ folders: ApiFolder[] }>(browser, 'GET', '/api/folders')).body.folders;
    expect(listed.map((folder) => [folder.name, folder.unreadCount])).toEqual([
      ['Alpha', 2],
      ['Zeta', 0],
    ]);

    const renamed = await call<{ folder: ApiFolder }>(browser, 'PATCH', `/api/folders/${alpha.id}`, { name: 'Beta' });
    expect(renamed.body.folder).toEqual({ id: alpha.id, name: 'Beta', unreadCount: 2 });

    expect((await call(browser, 'DELETE', `/api/folders/${alpha.id}`)).status).toBe(204);
    const [subscription] = await subscriptions(browser);
    expect(subscription?.folderId).toBeNull();
    expect((await call(browser, 'DELETE', `/api/folders/${alpha.id}`)).status).toBe(404);
  });

  it('refuses an empty, too long or duplicate name with 400', async () => {
    const browser = await signUp();
    await call(browser, 'POST', '/api/folders', { name: 'Taken' });
    for (const name of ['', '   ', 'x'.repeat(101), 'Taken', 7]) {
      const { status, body } = await call<{ code: string; errors: Record<string, string> }>(
        browser,
        'POST',
        '/api/folders',
        { name },
      );
      expect(status).toBe(400);
      expect(body.errors.name).toBeDefined();
    }
  });

  it('answers 404 when user B renames or deletes user A’s folder', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const folder = (await call<{ folder: ApiFolder }>(alice, 'POST', '/api/folders', { name: 'Private' })).body.folder;
    expect((await call(bob, 'PATCH', `/api/folders/${folder.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await call(bob, 'DELETE', `/api/folders/${folder.id}`)).status).toBe(404);
    expect((await call<{ folders: ApiFolder[] }>(bob, 'GET', '/api/folders')).body.folders).toEqual([]);
    expect((await call<{ folders: ApiFolder[] }>(alice, 'GET', '/api/folders')).body.folders[0]?.name).toBe('Private');
  });

  it('rejects a body over 64 KiB with 413', async () => {
    const browser = await signUp();
    const { status } = await call(browser, 'POST', '/api/folders', { name: 'x'.repeat(70 * 1024) });
    expect(status).toBe(413);
  });
});

describe('catalogue', () => {
  it('lists the configured catalogue to signed-in users, and subscribing uses its feedUrl', async () => {
    const browser = await signUp();
    const { body } = await call<{ topics: { feeds: { feedUrl: string }[] }[] }>(browser, 'GET', '/api/catalogue');
    const feedUrl = body.topics[0]?.feeds[0]?.feedUrl ?? '';
    expect(feedUrl).toBe(fixtures.url('/rss2.xml'));
    expect((await call(browser, 'POST', '/api/subscriptions', { url: feedUrl })).status).toBe(201);
    expect((await new TestBrowser(server.origin).request('GET', '/api/catalogue')).status).toBe(401);
  });

  it('ships the seed’s sources, each with an https feed URL', () => {
    const catalogue = loadCatalogue(undefined);
    const titles = catalogue.topics.flatMap((topic) => topic.feeds.map((feed) => feed.title));
    for (const expected of [
      'Full Disclosure',
      'Securelist',
      'The Hacker News',
      'Schneier on Security',
      'Cisco Talos Blog',
      'Project Zero',
      'Martin Fowler',
      'Netflix TechBlog - Medium',
      'Tor Project blog',
      'DEV Community',
      '小众软件',
      'OSCHINA 社区最新新闻',
    ]) {
      expect(titles).toContain(expected);
    }
    const feeds = catalogue.topics.flatMap((topic) => topic.feeds);
    expect(feeds.every((feed) => (feed.feedUrl ?? feed.siteUrl).startsWith('https://'))).toBe(true);
    expect(new Set(feeds.map((feed) => feed.id)).size).toBe(feeds.length);
  });

  it('refuses a catalogue file that is not valid', () => {
    const bad = join(tmpdir(), `gh-bad-catalogue-${String(process.pid)}.json`);
    writeFileSync(
      bad,
      JSON.stringify({ topics: [{ id: 'x', name: 'X', feeds: [{ id: 'f', feedUrl: 'javascript:1' }] }] }),
    );
    expect(() => loadCatalogue(bad)).toThrow(/not a valid catalogue/u);
  });
});

describe('OPML', () => {
  const importOpml = (browser: TestBrowser, body: string, contentType = 'text/x-opml') =>
    browser.request('POST', '/api/opml', { body, headers: { 'Content-Type': contentType } });

  it('exports folders and feeds, and imports them into another account unchanged', async () => {
    const alice = await signUp();
    const folder = (await call<{ folder: ApiFolder }>(alice, 'POST', '/api/folders', { name: 'Tech & News' })).body
      .folder;
    await call(alice, 'POST', '/api/subscriptions', { url: fixtures.url('/rss2.xml'), folderId: folder.id });
    await call(alice, 'POST', '/api/subscriptions', { url: fixtures.url('/atom.xml') });

    const exported = await alice.request('GET', '/api/opml');
    expect(exported.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const opml = await exported.text();
    expect(opml).toContain('<outline text="Tech &amp; News"');
    expect(opml).toContain(`xmlUrl="${fixtures.url('/rss2.xml')}"`);

    const bob = await signUp();
    const imported = await importOpml(bob, opml);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ imported: 2, skipped: [], folders: 1 });
    const bobs = await subscriptions(bob);
    const bobsFolders = (await call<{ folders: ApiFolder[] }>(bob, 'GET', '/api/folders')).body.folders;
    expect(bobsFolders.map((f) => f.name)).toEqual(['Tech & News']);
    expect(bobs.map((s) => [s.feedUrl, s.folderId]).sort()).toEqual(
      [
        [fixtures.url('/atom.xml'), null],
        [fixtures.url('/rss2.xml'), bobsFolders[0]?.id],
      ].sort(),
    );
    // The same file again: everything is already there.
    const again = (await (await importOpml(bob, opml)).json()) as { imported: number; skipped: unknown[] };
    expect(again.imported).toBe(0);
    expect(again.skipped).toHaveLength(2);
  });

  it('exports OPML for a user with no subscriptions: 200 and a valid empty OPML document', async () => {
    // Nothing to export used to be a 500 (feedsmith refuses a body without outlines); an
    // empty folder adds no outline either.
    const browser = await signUp();
    for (const step of ['no folders', 'an empty folder'] as const) {
      if (step === 'an empty folder') await call(browser, 'POST', '/api/folders', { name: 'Empty' });
      const exported = await browser.request('GET', '/api/opml');
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
      const opml = await exported.text();
      expect(opml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">/u);
      expect(opml).toContain('<title>Gatehouse Reader subscriptions</title>');
      expect(opml).toContain(`<dateCreated>${new Date(server.now()).toUTCString()}</dateCreated>`);
      expect(opml).not.toContain('<outline');
      // Valid: the importer (complete, balanced, parsed by feedsmith) reads it back as nothing.
      const imported = await importOpml(browser, opml);
      expect(imported.status).toBe(200);
      expect(await imported.json()).toEqual({ imported: 0, skipped: [], folders: 0 });
    }
  });

  it('skips entries it must refuse, with a reason, and imports the rest; new feeds are fetched by the scheduler', async () => {
    const browser = await signUp();
    const opml = `<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Folder"><outline text="Fine" type="rss" xmlUrl="${fixtures.url('/feed.json')}"/>
      <outline text="Metadata" xmlUrl="http://169.254.169.254/latest/"/></outline>
      <outline text="Script" xmlUrl="javascript:alert(1)"/>
      <outline text="Twice" xmlUrl="${fixtures.url('/feed.json')}"/>
    </body></opml>`;
    const response = await importOpml(browser, opml, 'application/xml; charset=utf-8');
    const body = (await response.json()) as { imported: number; skipped: { url: string; reason: string }[] };
    expect(body.imported).toBe(1);
    expect(body.skipped.map((entry) => entry.url)).toEqual([
      'http://169.254.169.254/latest/',
      'javascript:alert(1)',
      fixtures.url('/feed.json'),
    ]);
    // Refused addresses get the one sentence every non-public destination gets (subscriptions.test.ts).
    expect(body.skipped[0]?.reason).toBe('Could not fetch a feed from that address.');
    expect(body.skipped[1]?.reason).toContain('Only http and https');
    await server.reader.scheduler.runDue();
    const [subscription] = await subscriptions(browser);
    expect(subscription).toMatchObject({ title: 'Fine', unreadCount: 2 });
  });

  it.each([
    ['not xml at all', 'not complete OPML'],
    ['<rss version="2.0"><channel/></rss>', 'not complete OPML'],
    ['<opml version="2.0"><body><outline text="F"><outline xmlUrl="https://a.example/"/>', 'not complete OPML'],
    ['<opml version="2.0"><body><outline xmlUrl="https://a.example/"></outline2></body></opml>', 'not valid OPML'],
  ])('refuses a bad file with 400 and imports nothing (%#)', async (opml, detail) => {
    const browser = await signUp();
    const response = await importOpml(browser, opml);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(detail);
    expect(await subscriptions(browser)).toEqual([]);
    expect((await call<{ folders: unknown[] }>(browser, 'GET', '/api/folders')).body.folders).toEqual([]);
  });

  it('refuses another media type with 415 and a file over 1 MiB with 413', async () => {
    const browser = await signUp();
    expect((await importOpml(browser, '<opml/>', 'application/json')).status).toBe(415);
    const huge = `<opml version="2.0"><body>${'<outline text="x"/>'.repeat(60_000)}</body></opml>`;
    expect((await importOpml(browser, huge)).status).toBe(413);
  });
});
