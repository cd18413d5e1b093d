import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

// Through the API: every sentence the reader shows about a feed comes with its code and
// parameters beside the English text, which stays as it was (message-codes.ts).

interface Status {
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string>;
}
interface Problem {
  code: string;
  detail: string;
  errors?: Record<string, string>;
  reason?: string;
  reasonParams?: Record<string, string>;
}

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

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('codes'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

async function statusOf(browser: TestBrowser, feedUrl: string): Promise<Status | undefined> {
  const body = (await (await browser.request('GET', '/api/subscriptions')).json()) as {
    subscriptions: { feedUrl: string; status: Status }[];
  };
  return body.subscriptions.find((subscription) => subscription.feedUrl === feedUrl)?.status;
}

describe('coded messages', () => {
  it('a refused subscribe names its reason: the code and what it names, beside the unchanged detail', async () => {
    const browser = await signUp();
    const response = await browser.request('POST', '/api/subscriptions', { json: { url: 'ftp://files.example/f' } });
    expect(response.status).toBe(400);
    expect((await response.json()) as Problem).toMatchObject({
      code: 'validation_failed',
      detail: 'Could not subscribe to ftp://files.example/f: Only http and https URLs can be fetched, not ftp:',
      errors: { url: 'Only http and https URLs can be fetched, not ftp:' },
      reason: 'unsupported_scheme',
      reasonParams: { scheme: 'ftp:' },
    });

    // A failure at a non-public destination gets the one generic sentence, and its code only.
    const hidden = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/gone.xml') } });
    expect((await hidden.json()) as Problem).toMatchObject({ reason: 'non_public', reasonParams: {} });
  });

  it('a subscription’s last error comes with its code; none, or an unknown sentence, comes with null', async () => {
    const browser = await signUp();
    let failing = false;
    fixtures.route('/turns-404.xml', (_request, response) => {
      if (failing) response.writeHead(404).end();
      else
        response
          .writeHead(200, { 'Content-Type': 'application/rss+xml' })
          .end('<rss><channel><title>T</title></channel></rss>');
    });
    const url = fixtures.url('/turns-404.xml');
    expect((await browser.request('POST', '/api/subscriptions', { json: { url } })).status).toBe(201);
    expect(await statusOf(browser, url)).toMatchObject({ lastError: null, lastErrorCode: null, lastErrorParams: {} });

    failing = true;
    await server.reader.db.updateTable('feeds').set({ next_fetch_at: server.now() }).where('url', '=', url).execute();
    await server.reader.scheduler.runDue();
    expect(await statusOf(browser, url)).toEqual(
      expect.objectContaining({
        lastError: 'Could not fetch a feed from that address.',
        lastErrorCode: 'non_public',
        lastErrorParams: {},
      }),
    );

    // Stored by a public feed's failure (or by an older server, in words no code knows).
    const stored = (lastError: string) =>
      server.reader.db.updateTable('feeds').set({ last_error: lastError }).where('url', '=', url).execute();
    await stored('The server answered HTTP 503.');
    expect(await statusOf(browser, url)).toMatchObject({
      lastErrorCode: 'http_status',
      lastErrorParams: { status: '503' },
    });
    await stored('The feed went somewhere new.');
    expect(await statusOf(browser, url)).toMatchObject({
      lastError: 'The feed went somewhere new.',
      lastErrorCode: null,
      lastErrorParams: {},
    });
  });

  it('an OPML import names the reason of each entry it skipped, and of a file it refused', async () => {
    const browser = await signUp();
    const importOpml = (body: string) =>
      browser.request('POST', '/api/opml', { body, headers: { 'Content-Type': 'text/x-opml' } });
    const feed = fixtures.url('/feed.json');
    const imported = await importOpml(`<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Fine" xmlUrl="${feed}"/><outline text="Twice" xmlUrl="${feed}"/>
      <outline text="Script" xmlUrl="javascript:alert(1)"/></body></opml>`);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({
      imported: 1,
      folders: 0,
      skipped: [
        { url: feed, reason: 'Listed more than once in the file.', reasonCode: 'duplicate_in_file', reasonParams: {} },
        {
          url: 'javascript:alert(1)',
          reason: 'Only http and https URLs can be fetched, not javascript:',
          reasonCode: 'unsupported_scheme',
          reasonParams: { scheme: 'javascript:' },
        },
      ],
    });

    const refused = await importOpml('<?xml version="1.0"?><opml version="2.0"><head/><body>');
    expect(refused.status).toBe(400);
    expect((await refused.json()) as Problem).toMatchObject({
      detail: 'Nothing was imported: The file is not complete OPML: it does not end with </opml>.',
      reason: 'opml_incomplete',
      reasonParams: {},
    });
    expect(await browser.request('GET', '/api/subscriptions').then((r) => r.json())).toMatchObject({
      subscriptions: [{ feedUrl: feed }],
    });
  });
});
