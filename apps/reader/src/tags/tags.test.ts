import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveEntries, ReaderUser, type TestEntry } from '../test-support/filter-test-kit.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { TAG_LIMITS } from './tag-name.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
let feedNumber = 0;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

function feedUrl(entries: readonly TestEntry[]): string {
  feedNumber += 1;
  return fixtures.url(serveEntries(fixtures, `/tags/feed-${String(feedNumber)}.xml`, entries));
}

const ENTRIES: TestEntry[] = [
  { title: 'Async Rust', content: 'Futures and executors.' },
  { title: 'Rust errors', content: 'Result everywhere.' },
  { title: '机器学习入门', content: '从线性回归开始。' },
];

interface ApiTag {
  id: string;
  name: string;
  count: number;
}

async function tagItem(user: ReaderUser, title: string, tags: string[]): Promise<string[]> {
  const item = await user.itemByTitle(title);
  return (await user.expect<{ tags: string[] }>(200, 'PUT', `/api/items/${item.id}/tags`, { tags })).tags;
}

async function tagList(user: ReaderUser): Promise<ApiTag[]> {
  return (await user.expect<{ tags: ApiTag[] }>(200, 'GET', '/api/tags')).tags;
}

describe('tags on items', () => {
  it('are set per item, listed with counts, and shown on the items', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(ENTRIES));
    expect(await tagItem(user, 'Async Rust', ['rust', ' to  read ', '学习'])).toEqual(['rust', 'to read', '学习']);
    // "Rust" is the tag "rust": one tag, whatever the case.
    expect(await tagItem(user, 'Rust errors', ['Rust'])).toEqual(['rust']);
    expect(await tagItem(user, '机器学习入门', ['学习'])).toEqual(['学习']);
    expect((await tagList(user)).map(({ name, count }) => ({ name, count }))).toEqual([
      { name: 'rust', count: 2 },
      { name: 'to read', count: 1 },
      { name: '学习', count: 2 },
    ]);
    expect((await user.itemByTitle('Async Rust')).tags).toEqual(['rust', 'to read', '学习']);
    const item = await user.itemByTitle('Rust errors');
    const detail = await user.expect<{ item: { tags: string[] } }>(200, 'GET', `/api/items/${item.id}`);
    expect(detail.item.tags).toEqual(['rust']);

    // Taking a tag off its last item deletes the tag.
    expect(await tagItem(user, 'Async Rust', ['rust', '学习'])).toEqual(['rust', '学习']);
    expect((await tagList(user)).map((tag) => tag.name)).toEqual(['rust', '学习']);
  });

  it('make a tag view, and work in search as tag:name beside other words', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(ENTRIES));
    await tagItem(user, 'Async Rust', ['rust', 'to read']);
    await tagItem(user, 'Rust errors', ['rust']);
    await tagItem(user, '机器学习入门', ['to read']);
    expect(await user.titles('tag=RUST')).toEqual(['Rust errors', 'Async Rust']);
    expect(await user.titles(`q=${encodeURIComponent('tag:rust async')}`)).toEqual(['Async Rust']);
    expect(await user.titles(`q=${encodeURIComponent('tag:"to read"')}`)).toEqual(['机器学习入门', 'Async Rust']);
    expect(await user.titles(`q=${encodeURIComponent('tag:rust tag:"to read"')}`)).toEqual(['Async Rust']);
    expect(await user.titles(`q=${encodeURIComponent('tag:nothing')}`)).toEqual([]);
    await user.expect(404, 'GET', '/api/items?tag=nothing');

    // "Mark all as read" in a tag view marks only what the view shows.
    await user.expect(200, 'POST', '/api/items/mark-read', { view: 'all', tag: 'rust' });
    expect((await user.items()).filter((item) => !item.read).map((item) => item.title)).toEqual(['机器学习入门']);
  });

  it('leave out of the tag view and counts what a filter rule hides', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(ENTRIES));
    await tagItem(user, 'Async Rust', ['rust']);
    await tagItem(user, 'Rust errors', ['rust']);
    await user.createRule({ action: 'hide', keywords: ['async'] });
    expect(await user.titles('tag=rust')).toEqual(['Rust errors']);
    expect((await tagList(user)).map(({ name, count }) => ({ name, count }))).toEqual([{ name: 'rust', count: 1 }]);
  });

  it('are renamed and deleted, and a rename onto another tag’s name is refused', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(ENTRIES));
    await tagItem(user, 'Async Rust', ['rust', 'later']);
    const [later, rust] = await tagList(user);
    const renamed = await user.expect<{ tag: ApiTag }>(200, 'PATCH', `/api/tags/${rust?.id ?? ''}`, {
      name: 'Rust 语言',
    });
    expect(renamed.tag).toMatchObject({ name: 'Rust 语言', count: 1 });
    expect(await user.titles(`tag=${encodeURIComponent('rust 语言')}`)).toEqual(['Async Rust']);
    // The same name in another case is a rename of the same tag.
    await user.expect(200, 'PATCH', `/api/tags/${rust?.id ?? ''}`, { name: 'RUST 语言' });
    const clash = await user.call('PATCH', `/api/tags/${rust?.id ?? ''}`, { name: 'LATER' });
    expect(clash.status).toBe(400);
    await user.expect(204, 'DELETE', `/api/tags/${later?.id ?? ''}`);
    expect((await user.itemByTitle('Async Rust')).tags).toEqual(['RUST 语言']);
    await user.expect(404, 'DELETE', `/api/tags/${later?.id ?? ''}`);
  });
});

describe('tags belong to one user', () => {
  it('are not seen, changed or used through another user', async () => {
    const url = feedUrl(ENTRIES);
    const owner = await ReaderUser.signUp(server.origin);
    const other = await ReaderUser.signUp(server.origin);
    const stranger = await ReaderUser.signUp(server.origin);
    await owner.subscribe(url);
    await other.subscribe(url);
    await tagItem(owner, 'Async Rust', ['secret']);
    const [secret] = await tagList(owner);
    expect(await tagList(other)).toEqual([]);
    expect((await other.itemByTitle('Async Rust')).tags).toEqual([]);
    await other.expect(404, 'GET', '/api/items?tag=secret');
    expect(await other.titles(`q=${encodeURIComponent('tag:secret')}`)).toEqual([]);
    await other.expect(404, 'PATCH', `/api/tags/${secret?.id ?? ''}`, { name: 'mine' });
    await other.expect(404, 'DELETE', `/api/tags/${secret?.id ?? ''}`);
    // An item of a feed the stranger does not read does not exist for them.
    const item = await owner.itemByTitle('Async Rust');
    await stranger.expect(404, 'PUT', `/api/items/${item.id}/tags`, { tags: ['x'] });
    expect((await owner.itemByTitle('Async Rust')).tags).toEqual(['secret']);
  });
});

describe('bad input and limits', () => {
  it('refuses bad tags with a 4xx and changes nothing', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(ENTRIES));
    await tagItem(user, 'Async Rust', ['keep']);
    const item = await user.itemByTitle('Async Rust');
    const [tag] = await tagList(user);
    const tooMany = Array.from({ length: TAG_LIMITS.tagsPerItem + 1 }, (_, n) => `t${String(n)}`);
    const refused: [number, string, string, unknown][] = [
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: tooMany }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: ['x'.repeat(TAG_LIMITS.nameLength + 1)] }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: [''] }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: ['bell\u0007'] }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: 'keep' }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: [1] }],
      [400, 'PUT', `/api/items/${item.id}/tags`, { tags: ['a'], extra: true }],
      [404, 'PUT', '/api/items/999999999/tags', { tags: ['a'] }],
      [404, 'PUT', '/api/items/abc/tags', { tags: ['a'] }],
      [400, 'PATCH', `/api/tags/${tag?.id ?? ''}`, { name: '  ' }],
      [400, 'GET', `/api/items?tag=${'x'.repeat(TAG_LIMITS.nameLength + 1)}`, undefined],
    ];
    for (const [status, method, path, body] of refused) {
      const answer = await user.call(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
    }
    expect((await user.itemByTitle('Async Rust')).tags).toEqual(['keep']);
    expect((await tagList(user)).map((t) => t.name)).toEqual(['keep']);
  });

  it('refuses tags past the limit per user with a 409', async () => {
    const entries = Array.from({ length: 26 }, (_, n) => ({ title: `Item ${String(n)}` }));
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feedUrl(entries));
    const items = await user.items();
    let made = 0;
    for (const item of items) {
      if (made >= TAG_LIMITS.tagsPerUser) break;
      const tags = Array.from({ length: TAG_LIMITS.tagsPerItem }, (_, n) => `tag ${String(made + n)}`);
      await user.expect(200, 'PUT', `/api/items/${item.id}/tags`, { tags });
      made += tags.length;
    }
    const last = items.at(-1)?.id ?? '';
    const refused = await user.call('PUT', `/api/items/${last}/tags`, { tags: ['one too many'] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', limit: 'tags_per_user', max: TAG_LIMITS.tagsPerUser });
    // An existing tag can still be used.
    await user.expect(200, 'PUT', `/api/items/${last}/tags`, { tags: ['tag 0'] });
    expect(await tagList(user)).toHaveLength(TAG_LIMITS.tagsPerUser);
  });
});

describe('deleting the account', () => {
  it('deletes the user’s rules, their computed hits, and their tags', async () => {
    const url = feedUrl(ENTRIES);
    const user = await ReaderUser.signUp(server.origin);
    const bystander = await ReaderUser.signUp(server.origin);
    for (const reader of [user, bystander]) {
      const subscriptionId = await reader.subscribe(url);
      await reader.createRule({ action: 'hide', keywords: ['errors'] });
      await reader.createRule({ action: 'keepOnly', subscriptionId, keywords: ['rust'] });
      await tagItem(reader, 'Async Rust', ['rust']);
    }
    const rows = (userId: string) => {
      const db = new SQLite(server.databaseFile, { readonly: true });
      try {
        const count = (query: string) => (db.prepare(query).get(userId) as { n: number }).n;
        const rules = 'SELECT id FROM filter_rules WHERE user_id = ?';
        return {
          rules: count('SELECT COUNT(*) AS n FROM filter_rules WHERE user_id = ?'),
          hits: count(`SELECT COUNT(*) AS n FROM filter_hits WHERE rule_id IN (${rules})`),
          coverage: count(`SELECT COUNT(*) AS n FROM filter_coverage WHERE rule_id IN (${rules})`),
          tags: count('SELECT COUNT(*) AS n FROM tags WHERE user_id = ?'),
          itemTags: count('SELECT COUNT(*) AS n FROM item_tags WHERE user_id = ?'),
        };
      } finally {
        db.close();
      }
    };
    const full = { rules: 2, hits: 3, coverage: 2, tags: 1, itemTags: 1 };
    expect(rows(user.userId)).toEqual(full);
    expect((await user.browser.request('DELETE', '/api/auth/account')).status).toBe(204);
    expect(rows(user.userId)).toEqual({ rules: 0, hits: 0, coverage: 0, tags: 0, itemTags: 0 });
    expect(rows(bystander.userId)).toEqual(full);
  });
});
