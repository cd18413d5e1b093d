import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_INTERVAL_MS } from '../feeds/backoff.js';
import { serveEntries, ReaderUser, type TestEntry } from '../test-support/filter-test-kit.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { FILTER_LIMITS } from './filter-rule.js';

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

/** A feed of its own for each test (feeds are shared by all users of the server). */
function feed(entries: readonly TestEntry[]): { url: string; serve: (next: readonly TestEntry[]) => void } {
  feedNumber += 1;
  const path = `/filters/feed-${String(feedNumber)}.xml`;
  serveEntries(fixtures, path, entries);
  return { url: fixtures.url(path), serve: (next) => serveEntries(fixtures, path, next) };
}

/** The next scheduled fetch of every feed, now. */
async function fetchAgain(): Promise<void> {
  server.advance(DEFAULT_FETCH_INTERVAL_MS + 60_000);
  await server.reader.scheduler.runDue();
}

const NEWS: TestEntry[] = [
  { title: 'Rust 1.80 released', author: 'The Rust Team', content: 'Faster builds.' },
  { title: '这是一条广告', content: '限时优惠' },
  { title: 'Weekly links', author: 'Sponsor Desk', content: 'Brought to you by a 广告 partner.' },
  { title: 'He said so', content: 'An interview.' },
];

describe('hide rules', () => {
  it('hide items whose words match, at once, in lists and counts; an edit or delete brings them back', async () => {
    const user = await ReaderUser.signUp(server.origin);
    const subscriptionId = await user.subscribe(feed(NEWS).url);
    expect(await user.unreadCounts()).toEqual({ [subscriptionId]: 4 });

    // 广告 has no spaces around it in Chinese text: it matches inside 这是一条广告.
    const ruleId = await user.createRule({ action: 'hide', keywords: ['广告'] });
    expect(await user.titles()).toEqual(['He said so', 'Rust 1.80 released']);
    expect(await user.titles('view=unread')).toEqual(['He said so', 'Rust 1.80 released']);
    expect(await user.unreadCounts()).toEqual({ [subscriptionId]: 2 });
    expect(await user.titles(`subscriptionId=${subscriptionId}&q=${encodeURIComponent('优惠')}`)).toEqual([]);

    // Case does not matter, and "ai" is a word: it does not hide "He said so".
    await user.expect(200, 'PATCH', `/api/filters/${ruleId}`, { keywords: ['RUST', 'ai'] });
    expect(await user.titles()).toEqual(['He said so', 'Weekly links', '这是一条广告']);
    expect(await user.unreadCounts()).toEqual({ [subscriptionId]: 3 });

    await user.expect(204, 'DELETE', `/api/filters/${ruleId}`);
    expect(await user.titles()).toHaveLength(4);
    expect(await user.unreadCounts()).toEqual({ [subscriptionId]: 4 });
  });

  it('look only in the fields a rule names', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.subscribe(feed(NEWS).url);
    const ruleId = await user.createRule({ action: 'hide', fields: ['author'], keywords: ['sponsor'] });
    expect(await user.titles()).toEqual(['He said so', '这是一条广告', 'Rust 1.80 released']);
    await user.expect(200, 'PATCH', `/api/filters/${ruleId}`, { fields: ['title'] });
    expect(await user.titles()).toHaveLength(4);
  });

  it('apply to one subscription when they name it, and to all when global', async () => {
    const user = await ReaderUser.signUp(server.origin);
    const first = await user.subscribe(feed(NEWS).url);
    const second = await user.subscribe(feed([{ title: 'Rust in the kernel' }, { title: 'Gardening' }]).url);
    await user.createRule({ action: 'hide', subscriptionId: first, keywords: ['rust'] });
    expect(await user.titles(`subscriptionId=${first}`)).not.toContain('Rust 1.80 released');
    expect(await user.titles(`subscriptionId=${second}`)).toEqual(['Gardening', 'Rust in the kernel']);

    await user.createRule({ action: 'hide', keywords: ['garden*'] });
    expect(await user.titles(`subscriptionId=${second}`)).toEqual(['Rust in the kernel']);
    expect(await user.unreadCounts()).toEqual({ [first]: 3, [second]: 1 });
  });

  it('apply to a feed subscribed after the rule, and to items that change to match', async () => {
    const user = await ReaderUser.signUp(server.origin);
    await user.createRule({ action: 'hide', keywords: ['sponsored'] });
    const later = feed([{ title: 'Plain news' }, { title: 'A sponsored post' }]);
    const subscriptionId = await user.subscribe(later.url);
    expect(await user.titles()).toEqual(['Plain news']);
    expect(await user.unreadCounts()).toEqual({ [subscriptionId]: 1 });

    later.serve([{ title: 'Plain news', content: 'Now sponsored by someone.' }, { title: 'A sponsored post' }]);
    await fetchAgain();
    expect(await user.titles()).toEqual([]);
  });
});

describe('keep-only rules', () => {
  it('show only matching items where they apply, and agree with the unread count', async () => {
    const user = await ReaderUser.signUp(server.origin);
    const news = await user.subscribe(feed(NEWS).url);
    const garden = await user.subscribe(feed([{ title: 'Roses' }, { title: 'Tulips' }]).url);
    const keep = await user.createRule({ action: 'keepOnly', subscriptionId: news, keywords: ['Rust', '广告'] });
    const kept = ['Weekly links', '这是一条广告', 'Rust 1.80 released'];
    expect(await user.titles(`subscriptionId=${news}`)).toEqual(kept);
    expect(await user.titles(`subscriptionId=${garden}`)).toEqual(['Tulips', 'Roses']);
    expect(await user.unreadCounts()).toEqual({ [news]: 3, [garden]: 2 });

    // A hide rule wins over a keep-only rule; two keep-only rules keep what either keeps.
    const hide = await user.createRule({ action: 'hide', keywords: ['广告'] });
    expect(await user.titles(`subscriptionId=${news}`)).toEqual(['Rust 1.80 released']);
    await user.expect(204, 'DELETE', `/api/filters/${hide}`);
    await user.createRule({ action: 'keepOnly', keywords: ['tulips'] });
    expect(await user.titles(`subscriptionId=${garden}`)).toEqual(['Tulips']);
    expect(await user.titles(`subscriptionId=${news}`)).toEqual(kept);

    await user.expect(204, 'DELETE', `/api/filters/${keep}`);
    expect(await user.titles()).toEqual(['Tulips']);
  });
});

describe('auto-star and mark-read rules', () => {
  it('mark items that arrive after the rule, for its owner only', async () => {
    const news = feed(NEWS.slice(0, 2));
    const owner = await ReaderUser.signUp(server.origin);
    const other = await ReaderUser.signUp(server.origin);
    await owner.subscribe(news.url);
    await other.subscribe(news.url);
    await owner.createRule({ action: 'star', keywords: ['rust'] });
    await owner.createRule({ action: 'markRead', fields: ['title', 'content'], keywords: ['优惠'] });
    // Items already there are left as they are.
    expect((await owner.itemByTitle('Rust 1.80 released')).starred).toBe(false);
    expect((await owner.itemByTitle('这是一条广告')).read).toBe(false);

    news.serve([...NEWS.slice(0, 2), { title: 'RUST 1.81', content: '本周优惠' }, { title: 'Unrelated' }]);
    await fetchAgain();
    expect(await owner.itemByTitle('RUST 1.81')).toMatchObject({ starred: true, read: true });
    expect(await owner.itemByTitle('Unrelated')).toMatchObject({ starred: false, read: false });
    expect(await other.itemByTitle('RUST 1.81')).toMatchObject({ starred: false, read: false });
    expect(await owner.titles('view=starred')).toEqual(['RUST 1.81']);
  });

  it('apply per subscription when they name one', async () => {
    const first = feed([{ title: 'Old' }]);
    const second = feed([{ title: 'Old too' }]);
    const user = await ReaderUser.signUp(server.origin);
    const firstId = await user.subscribe(first.url);
    await user.subscribe(second.url);
    await user.createRule({ action: 'star', subscriptionId: firstId, keywords: ['release'] });
    first.serve([{ title: 'Old' }, { title: 'Release notes' }]);
    second.serve([{ title: 'Old too' }, { title: 'Release party' }]);
    await fetchAgain();
    expect((await user.itemByTitle('Release notes')).starred).toBe(true);
    expect((await user.itemByTitle('Release party')).starred).toBe(false);
  });
});

describe('rules belong to one user', () => {
  it('never hide another user’s items, and cannot be read, changed or deleted by them', async () => {
    const news = feed(NEWS);
    const owner = await ReaderUser.signUp(server.origin);
    const other = await ReaderUser.signUp(server.origin);
    const ownerSubscription = await owner.subscribe(news.url);
    await other.subscribe(news.url);
    const ruleId = await owner.createRule({ action: 'keepOnly', keywords: ['nothing matches this'] });
    expect(await owner.titles()).toEqual([]);
    expect(await other.titles()).toHaveLength(4);

    expect(await other.rules()).toEqual([]);
    await other.expect(404, 'PATCH', `/api/filters/${ruleId}`, { keywords: ['x'] });
    await other.expect(404, 'DELETE', `/api/filters/${ruleId}`);
    // Nor can a rule name someone else's subscription.
    await other.expect(404, 'POST', '/api/filters', {
      action: 'hide',
      subscriptionId: ownerSubscription,
      keywords: ['x'],
    });
    expect(await owner.rules()).toHaveLength(1);
    expect(await owner.titles()).toEqual([]);
  });
});

describe('matching cannot hang the server', () => {
  it('lists an item whose text would make a backtracking regex run for ever', async () => {
    const user = await ReaderUser.signUp(server.origin);
    // /(a|aa)+$/-style patterns take exponential time on a long run of "a"; keywords cannot.
    const content = `${'a'.repeat(300_000)}!`;
    await user.subscribe(feed([{ title: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', content }]).url);
    await user.createRule({
      action: 'hide',
      keywords: Array.from({ length: FILTER_LIMITS.keywordsPerRule }, (_, n) => `${'a'.repeat(60 + n)}b`),
    });
    await user.createRule({ action: 'keepOnly', keywords: ['*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac'] });
    expect(await user.titles()).toEqual([]);
  });
});

describe('bad input', () => {
  it('is refused with a 4xx and changes nothing', async () => {
    const user = await ReaderUser.signUp(server.origin);
    const subscriptionId = await user.subscribe(feed(NEWS).url);
    const ruleId = await user.createRule({ action: 'hide', keywords: ['rust'] });
    const before = await user.rules();
    const refused: [number, string, string, unknown][] = [
      [400, 'POST', '/api/filters', { action: 'hide', keywords: [] }],
      [400, 'POST', '/api/filters', { action: 'hide' }],
      [400, 'POST', '/api/filters', { action: 'explode', keywords: ['x'] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['   '] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['***'] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['x'.repeat(FILTER_LIMITS.keywordLength + 1)] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['\ud800'] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['ﷺ'.repeat(20)] }],
      [
        400,
        'POST',
        '/api/filters',
        { action: 'hide', keywords: Array.from({ length: 21 }, (_, n) => `k${String(n)}`) },
      ],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: [42] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['x'], fields: [] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['x'], fields: ['url'] }],
      [400, 'POST', '/api/filters', { action: 'hide', keywords: ['x'], pattern: '(a+)+$' }],
      [404, 'POST', '/api/filters', { action: 'hide', keywords: ['x'], subscriptionId: 'nope' }],
      [400, 'PATCH', `/api/filters/${ruleId}`, { keywords: [] }],
      [400, 'PATCH', `/api/filters/${ruleId}`, { action: 'nope' }],
      [404, 'PATCH', `/api/filters/${ruleId}`, { subscriptionId: 'nope' }],
      [404, 'PATCH', '/api/filters/unknown', { keywords: ['x'] }],
      [404, 'DELETE', '/api/filters/unknown', undefined],
    ];
    for (const [status, method, path, body] of refused) {
      const answer = await user.call(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(answer.body).toMatchObject({ code: status === 404 ? 'not_found' : 'validation_failed' });
    }
    // JSON.parse makes "__proto__" an own key: refused as unknown, not merged into anything.
    const proto = await user.browser.request('POST', '/api/filters', {
      body: '{"action":"hide","keywords":["x"],"__proto__":{"action":"star"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(proto.status).toBe(400);
    const notJson = await user.browser.request('POST', '/api/filters', {
      body: 'action=hide',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);
    expect(await user.rules()).toEqual(before);
    expect(await user.titles(`subscriptionId=${subscriptionId}`)).not.toContain('Rust 1.80 released');
  });

  it('refuses a rule past the limit per user with a 409', async () => {
    const user = await ReaderUser.signUp(server.origin);
    for (let n = 0; n < FILTER_LIMITS.rulesPerUser; n += 1) {
      await user.createRule({ action: 'star', keywords: [`word${String(n)}`] });
    }
    const refused = await user.call('POST', '/api/filters', { action: 'star', keywords: ['one more'] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', limit: 'rules_per_user', max: FILTER_LIMITS.rulesPerUser });
    expect(await user.rules()).toHaveLength(FILTER_LIMITS.rulesPerUser);
  });
});
