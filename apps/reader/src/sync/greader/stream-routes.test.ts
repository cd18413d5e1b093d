import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { GreaderTestClient } from './greader-test-client.js';
import { longItemId } from './item-ids.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

const day = (n: number) => Date.UTC(2024, 2, n, 12);

/** Nine items a day apart, plus a tenth at the same time as the ninth: pages must break ties by id. */
function tenItems(): string {
  const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
    (
      n,
    ) => `<item><guid>ten-${String(n)}</guid><title>Ten ${String(n)}</title><link>https://ten.example/${String(n)}</link>
      <pubDate>${new Date(day(Math.min(n, 9))).toUTCString()}</pubDate><description>Body ${String(n)}</description></item>`,
  );
  return `<rss version="2.0"><channel><title>Ten</title><link>https://ten.example/</link>${items.join('')}</channel></rss>`;
}

let feeds = 0;
/** A feed of its own per test (the query makes a new URL): items inserted by one test stay there. */
function ownTen(): string {
  feeds += 1;
  return `/ten.xml?copy=${String(feeds)}`;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/ten.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(tenItems());
  });
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

interface JsonItem {
  id: string;
  title: string;
  timestampUsec: string;
  categories: string[];
  origin: { streamId: string };
}
interface ContentsPage {
  id: string;
  items: JsonItem[];
  continuation?: string;
}
interface IdsPage {
  itemRefs: { id: string; timestampUsec: string; directStreamIds: string[] }[];
  continuation?: string;
}

async function syncUser(...feeds: string[]) {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-streams');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  for (const feed of feeds) {
    const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(feed) } });
    expect(response.status).toBe(201);
  }
  const { password } = await createAppPassword(browser);
  const client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  const list = await client.getJson<{ subscriptions: { id: string; url: string }[] }>(
    '/reader/api/0/subscription/list',
    { output: 'json' },
  );
  const streamOf = (feed: string) => list.subscriptions.find((s) => s.url === fixtures.url(feed))?.id ?? '';
  return { browser, client, streamOf };
}

const CONTENTS = '/reader/api/0/stream/contents';
const READING_LIST = 'user/-/state/com.google/reading-list';
const titles = (page: ContentsPage) => page.items.map((item) => item.title);

/** An item stored as the feed refresher would store it, at a chosen time. */
async function insertItem(feedStream: string, title: string, publishedAt: number): Promise<void> {
  await server.reader.db
    .insertInto('items')
    .values({
      feed_id: feedStream.replace(/^feed\//u, ''),
      dedup_key: title,
      url: null,
      title,
      author: null,
      content_html: `<p>${title}</p>`,
      snippet: title,
      content_hash: title,
      published_at: publishedAt,
      fetched_at: server.now(),
    })
    .execute();
}

describe('GET stream/contents', () => {
  it('answers the item JSON clients parse', async () => {
    const { client, streamOf } = await syncUser('/rss2.xml');
    const page = await client.getJson<{ items: Record<string, unknown>[] } & Record<string, unknown>>(
      `${CONTENTS}/${READING_LIST}`,
    );
    expect(page).toMatchObject({ id: READING_LIST, direction: 'ltr' });
    expect(page).not.toHaveProperty('continuation');
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^tag:google\.com,2005:reader\/item\/[0-9a-f]{16}$/u) as unknown,
      crawlTimeMsec: String(server.now()),
      timestampUsec: `${String(Date.UTC(2024, 0, 2, 10))}000`,
      published: Date.UTC(2024, 0, 2, 10) / 1000,
      updated: Date.UTC(2024, 0, 2, 10) / 1000,
      title: 'Second RSS post',
      canonical: [{ href: 'https://rss.example/posts/2' }],
      alternate: [{ href: 'https://rss.example/posts/2', type: 'text/html' }],
      summary: { direction: 'ltr', content: '<p>The <strong>second</strong> post talks about zeppelins.</p>' },
      author: 'Dana Writer',
      categories: [READING_LIST],
      origin: { streamId: streamOf('/rss2.xml'), title: 'Fixture RSS & Friends', htmlUrl: 'https://rss.example/' },
    });
  });

  it('names the stream in the path (plain or percent-encoded, as newsboat sends it) or in s=', async () => {
    const { client, streamOf, browser } = await syncUser('/rss2.xml', '/atom.xml');
    const atom = streamOf('/atom.xml');
    for (const path of [`${CONTENTS}/${atom}`, `${CONTENTS}/${encodeURIComponent(atom)}`]) {
      expect(titles(await client.getJson<ContentsPage>(path))).toEqual([
        'Plain text title with 1 < 2',
        'Atom entry one',
      ]);
    }
    expect(titles(await client.getJson<ContentsPage>(CONTENTS, { s: atom }))).toHaveLength(2);
    expect(titles(await client.getJson<ContentsPage>(CONTENTS))).toHaveLength(4);
    await client.postOk('/reader/api/0/subscription/edit', [
      ['ac', 'edit'],
      ['s', atom],
      ['a', 'user/-/label/Atoms'],
    ]);
    const label = await client.getJson<ContentsPage>(`${CONTENTS}/user/-/label/Atoms`);
    expect(titles(label)).toEqual(['Plain text title with 1 < 2', 'Atom entry one']);
    expect(label.items[0]?.categories).toContain('user/-/label/Atoms');
    const [item] = ((await (await browser.request('GET', '/api/items')).json()) as { items: { id: string }[] }).items;
    await browser.request('PATCH', `/api/items/${item?.id ?? ''}`, { json: { starred: true } });
    const starred = await client.getJson<ContentsPage>(`${CONTENTS}/user/1234/state/com.google/starred`);
    expect(starred.items.map((entry) => entry.id)).toEqual([longItemId(Number(item?.id))]);
  });

  it('pages newest first with n and c, breaking time ties by id', async () => {
    const { client } = await syncUser(ownTen());
    const seen: string[] = [];
    let continuation: string | undefined;
    do {
      const page: ContentsPage = await client.getJson<ContentsPage>(`${CONTENTS}/${READING_LIST}`, {
        n: '3',
        ...(continuation === undefined ? {} : { c: continuation }),
      });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...titles(page));
      continuation = page.continuation;
    } while (continuation !== undefined);
    expect(seen).toEqual(['Ten 10', 'Ten 9', 'Ten 8', 'Ten 7', 'Ten 6', 'Ten 5', 'Ten 4', 'Ten 3', 'Ten 2', 'Ten 1']);
  });

  it('sends every item exactly once while older and newer items arrive between pages', async () => {
    for (const order of ['d', 'o']) {
      const ten = ownTen();
      const { client, streamOf } = await syncUser(ten);
      const stream = streamOf(ten);
      const seen: string[] = [];
      let continuation: string | undefined;
      let round = 0;
      do {
        const page: ContentsPage = await client.getJson<ContentsPage>(`${CONTENTS}/${stream}`, {
          n: '2',
          r: order,
          ...(continuation === undefined ? {} : { c: continuation }),
        });
        seen.push(...titles(page));
        continuation = page.continuation;
        round += 1;
        // Between pages: one item older than all, one newer than all, one at the time of the
        // page's last item (the keyset's tie), as a fetch landing mid-sync would store them.
        await insertItem(stream, `older ${order}${String(round)}`, day(1) - round * 60_000);
        await insertItem(stream, `newer ${order}${String(round)}`, day(20) + round * 60_000);
        await insertItem(stream, `tie ${order}${String(round)}`, day(Math.max(1, 9 - round)));
      } while (continuation !== undefined && round < 50);
      const originals = seen.filter((title) => title.startsWith('Ten '));
      expect(new Set(seen).size, `order ${order}`).toBe(seen.length);
      expect(originals.sort(), `order ${order}`).toEqual(
        ['Ten 1', 'Ten 10', 'Ten 2', 'Ten 3', 'Ten 4', 'Ten 5', 'Ten 6', 'Ten 7', 'Ten 8', 'Ten 9'].sort(),
      );
    }
  });

  it('lists oldest first with r=o', async () => {
    const { client } = await syncUser(ownTen());
    const page = await client.getJson<ContentsPage>(`${CONTENTS}/${READING_LIST}`, { r: 'o', n: '4' });
    expect(titles(page)).toEqual(['Ten 1', 'Ten 2', 'Ten 3', 'Ten 4']);
    const next = await client.getJson<ContentsPage>(`${CONTENTS}/${READING_LIST}`, {
      r: 'o',
      n: '4',
      c: page.continuation ?? '',
    });
    expect(titles(next)).toEqual(['Ten 5', 'Ten 6', 'Ten 7', 'Ten 8']);
    // A newest-first token cannot resume an oldest-first walk.
    const first = await client.getJson<ContentsPage>(`${CONTENTS}/${READING_LIST}`, { n: '4' });
    const mixed = await client.get(`${CONTENTS}/${READING_LIST}`, { r: 'o', c: first.continuation ?? '' });
    expect(mixed.status).toBe(400);
  });

  it('filters by time (ot, nt) and by state (xt, it)', async () => {
    const { client, browser } = await syncUser(ownTen());
    const query = (extra: Record<string, string>) =>
      client.getJson<ContentsPage>(`${CONTENTS}/${READING_LIST}`, { n: '50', ...extra }).then(titles);
    // ot: at or after; nt: before. Fractional seconds as NetNewsWire sends them.
    expect(await query({ ot: String(day(8) / 1000) })).toEqual(['Ten 10', 'Ten 9', 'Ten 8']);
    expect(await query({ ot: `${String(day(8) / 1000 - 1)}.75` })).toEqual(['Ten 10', 'Ten 9', 'Ten 8']);
    expect(await query({ nt: String(day(3) / 1000) })).toEqual(['Ten 2', 'Ten 1']);
    expect(await query({ ot: String(day(4) / 1000), nt: String(day(6) / 1000) })).toEqual(['Ten 5', 'Ten 4']);

    const items = (
      (await (await browser.request('GET', '/api/items?limit=100')).json()) as {
        items: { id: string; title: string }[];
      }
    ).items;
    const idOf = (title: string) => items.find((item) => item.title === title)?.id ?? '';
    await browser.request('PATCH', `/api/items/${idOf('Ten 10')}`, { json: { read: true } });
    await browser.request('PATCH', `/api/items/${idOf('Ten 9')}`, { json: { read: true, starred: true } });
    await browser.request('PATCH', `/api/items/${idOf('Ten 8')}`, { json: { starred: true } });
    const READ = 'user/-/state/com.google/read';
    const STARRED = 'user/-/state/com.google/starred';
    expect(await query({ xt: READ })).toHaveLength(8);
    expect(await query({ xt: READ })).not.toContain('Ten 10');
    expect(await query({ it: STARRED })).toEqual(['Ten 9', 'Ten 8']);
    expect(await query({ it: STARRED, xt: READ })).toEqual(['Ten 8']);
    expect(await query({ it: READ })).toEqual(['Ten 10', 'Ten 9']);
    expect(titles(await client.getJson<ContentsPage>(`${CONTENTS}/user/-/state/com.google/read`))).toEqual([
      'Ten 10',
      'Ten 9',
    ]);
  });
});

describe('GET stream/items/ids and stream/items/contents', () => {
  it('lists short decimal ids that items/contents takes back, by GET and by POST', async () => {
    const ten = ownTen();
    const { client, streamOf } = await syncUser(ten);
    const ids = await client.getJson<IdsPage>('/reader/api/0/stream/items/ids', {
      s: READING_LIST,
      n: '10000',
      xt: 'user/-/state/com.google/read',
    });
    expect(ids.itemRefs).toHaveLength(10);
    expect(ids.itemRefs[0]).toEqual({
      id: expect.stringMatching(/^\d+$/u) as unknown,
      directStreamIds: [streamOf(ten)],
      timestampUsec: `${String(day(9))}000`,
    });
    const [a, b] = ids.itemRefs.map((ref) => ref.id);
    const byGet = await client.getJson<ContentsPage>('/reader/api/0/stream/items/contents', { i: [a ?? '', b ?? ''] });
    expect(byGet.items.map((item) => item.id)).toEqual([longItemId(Number(a)), longItemId(Number(b))]);
    const byPost = await client.post('/reader/api/0/stream/items/contents', [
      ['i', longItemId(Number(b))],
      ['i', Number(a).toString(16).padStart(16, '0')],
      ['output', 'json'],
    ]);
    expect(byPost.status).toBe(200);
    expect(((await byPost.json()) as ContentsPage).items.map((item) => item.title)).toEqual(['Ten 10', 'Ten 9']);
  });

  it('pages ids with a continuation', async () => {
    const { client } = await syncUser(ownTen());
    const first = await client.getJson<IdsPage>('/reader/api/0/stream/items/ids', { s: READING_LIST, n: '6' });
    const rest = await client.getJson<IdsPage>('/reader/api/0/stream/items/ids', {
      s: READING_LIST,
      n: '6',
      c: first.continuation ?? '',
    });
    const all = [...first.itemRefs, ...rest.itemRefs].map((ref) => ref.id);
    expect(new Set(all).size).toBe(10);
    expect(rest.continuation).toBeUndefined();
  });

  it('refuses another user’s item ids with 400', async () => {
    const alice = await syncUser('/rss1.rdf');
    const bob = await syncUser('/rss2.xml');
    const [alicesRef] = (await alice.client.getJson<IdsPage>('/reader/api/0/stream/items/ids')).itemRefs;
    const [bobsRef] = (await bob.client.getJson<IdsPage>('/reader/api/0/stream/items/ids')).itemRefs;
    const response = await bob.client.get('/reader/api/0/stream/items/contents', {
      i: [bobsRef?.id ?? '', alicesRef?.id ?? ''],
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Error=UnknownItem\n/u);
  });
});
