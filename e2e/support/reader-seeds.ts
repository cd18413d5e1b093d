import { openReaderDatabase } from '../../apps/reader/src/db/open-database.js';
import { parseFeedDocument } from '../../apps/reader/src/feeds/parse-feed.js';
import { storeFetchedFeed } from '../../apps/reader/src/service/feed-refresher.js';
import { TestBrowser } from '../../test-support/test-browser.js';
import { otherLoopbackAddress, PASSWORD, uniqueEmail } from './accounts.js';
import type { ReaderSeeds } from './reader-fuzz.js';

/** Never fetched for real: .invalid never resolves (RFC 6761), so the server's own fetches fail at once. */
const SEED_FEED_URL = 'https://feed.invalid/fuzz-seed.xml';

/** Items in two scripts, so search reaches the full-text index (three letters and up) and LIKE (fewer). */
const SEED_FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Fuzz seed</title><link>https://feed.invalid/</link>
<item><guid>seed-1</guid><title>Zeppelins over the harbour</title><author>dana@feed.invalid (Dana)</author>
<description>&lt;p&gt;Lighthouse keepers &lt;strong&gt;report&lt;/strong&gt;&lt;/p&gt;</description>
<pubDate>Mon, 01 Jan 2024 12:00:00 GMT</pubDate></item>
<item><guid>seed-2</guid><title>安全新闻</title><description>网络安全</description>
<pubDate>Tue, 02 Jan 2024 12:00:00 GMT</pubDate></item>
<item><guid>seed-3</guid><title>ab</title><pubDate>Tue, 02 Jan 2024 12:00:00 GMT</pubDate></item>
</channel></rss>`;

interface SignedIn {
  client: TestBrowser;
  /** memory-token mode: the access token its Authorization header carries. */
  authorization: Record<string, string>;
  credentials: Record<string, string>;
}

async function signIn(origin: string, prefix: string): Promise<SignedIn> {
  const client = new TestBrowser(origin, otherLoopbackAddress(), 'e2e-reader-fuzz/1.0');
  const signup = await client.signup(uniqueEmail(prefix), PASSWORD);
  if (signup.status !== 201) throw new Error(`reader fuzz signup: ${String(signup.status)} ${await signup.text()}`);
  const { access_token: accessToken } = (await signup.json()) as { access_token?: string };
  const authorization: Record<string, string> =
    accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` };
  const credentials: Record<string, string> = {
    cookie: client.cookieHeader('/api/folders'),
    'x-csrf-token': await client.csrfToken(),
    origin,
    'sec-fetch-site': 'same-origin',
    ...authorization,
  };
  for (const [name, value] of Object.entries(credentials)) if (value === '') Reflect.deleteProperty(credentials, name);
  return { client, authorization, credentials };
}

/**
 * Two users of a running reader, for the fuzz: one with nothing at all (empty lists and an
 * empty export are inputs too), and one with a folder, a subscription and items. Items
 * need a fetched feed and the server fetches nothing local, so this stores one, with the
 * reader's own code, into the server's SQLite file (WAL: a second writer waits its turn),
 * as a successful fetch of SEED_FEED_URL would have.
 */
export async function readerSeeds(server: { origin: string; databaseFile: string }): Promise<ReaderSeeds> {
  const empty = await signIn(server.origin, 'reader-fuzz-empty');
  const stocked = await signIn(server.origin, 'reader-fuzz');
  const { client, authorization } = stocked;

  const folder = await client.request('POST', '/api/folders', { json: { name: 'Fuzz' }, headers: authorization });
  if (folder.status !== 201) throw new Error(`reader fuzz folder: ${String(folder.status)}`);
  const folderId = ((await folder.json()) as { folder: { id: string } }).folder.id;
  // OPML import subscribes without fetching.
  const opml = `<opml version="2.0"><body><outline text="Fuzz"><outline text="Seed" xmlUrl="${SEED_FEED_URL}"/></outline></body></opml>`;
  const imported = await client.request('POST', '/api/opml', {
    body: opml,
    headers: { 'Content-Type': 'text/x-opml', ...authorization },
  });
  if (imported.status !== 200) throw new Error(`reader fuzz import: ${String(imported.status)}`);
  const list = await client.request('GET', '/api/subscriptions', { headers: authorization });
  const [subscription] = ((await list.json()) as { subscriptions: { id: string }[] }).subscriptions;
  if (subscription === undefined) throw new Error('reader fuzz: the import subscribed to nothing');

  const db = openReaderDatabase(server.databaseFile);
  let itemIds: string[];
  try {
    const feed = await db.selectFrom('feeds').select('id').where('url', '=', SEED_FEED_URL).executeTakeFirstOrThrow();
    const now = Date.now();
    const fetched = {
      status: 'ok' as const,
      nonPublic: false,
      url: SEED_FEED_URL,
      contentType: 'application/rss+xml',
      body: new Uint8Array(),
      etag: null,
      lastModified: null,
    };
    const parsed = parseFeedDocument(SEED_FEED, SEED_FEED_URL);
    await retryWhileBusy(() => storeFetchedFeed(db, feed.id, parsed, fetched, now, now + 86_400_000));
    const rows = await db.selectFrom('items').select('id').where('feed_id', '=', feed.id).execute();
    itemIds = rows.map((row) => String(row.id));
  } finally {
    await db.destroy();
  }

  return {
    origin: server.origin,
    users: [empty.credentials, stocked.credentials],
    values: [
      ...new Set([
        ...empty.client.cookies.values(),
        ...stocked.client.cookies.values(),
        ...Object.values(empty.credentials),
        ...Object.values(stocked.credentials),
      ]),
    ],
    ids: { folders: [folderId], subscriptions: [subscription.id], items: itemIds },
  };
}

/**
 * The server writes the same feed's row at about this time (the import woke its scheduler,
 * whose fetch of the .invalid URL fails). SQLite then refuses our transaction's upgrade from
 * reading to writing at once (SQLITE_BUSY_SNAPSHOT: busy_timeout cannot help), and it rolls
 * back whole: trying again is safe.
 */
async function retryWhileBusy(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 10 || typeof code !== 'string' || !code.startsWith('SQLITE_BUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
