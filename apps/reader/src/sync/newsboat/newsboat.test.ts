import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { readNewsboatCache, type NewsboatCache } from './newsboat-cache.js';
import { NEWSBOAT, reloadHeadless, requireProgram } from './newsboat-cli.js';
import { feedhqWrites } from './newsboat-log.js';
import { createNewsboatProfile, type NewsboatProfile } from './newsboat-profile.js';
import { markFeedRead, openFeed, quitNewsboat, readArticle, startNewsboatTui, toggleRead } from './newsboat-tui.js';
import type { TmuxSession } from './tmux-session.js';

/**
 * Issue 18, done when a real reader app syncs: newsboat (its `feedhq` backend is a Google
 * Reader client) logs in to /api/greader with an app password, lists the user's feeds and
 * items with their read state, and read marks travel both ways.
 */

interface WebItem {
  id: string;
  title: string;
  read: boolean;
}

const RSS = 'Fixture RSS & Friends';
const ATOM = 'Fixture Atom';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
const profiles: NewsboatProfile[] = [];
const sessions: TmuxSession[] = [];

/**
 * Checked by every test, not in beforeAll: a machine without newsboat must show each proof
 * failing with the reason, where a failed hook would list them as skipped.
 */
let clientsChecked: Promise<unknown> | undefined;
function requireClients(): Promise<unknown> {
  clientsChecked ??= Promise.all([
    requireProgram(NEWSBOAT, ['-v'], 'apt-get install newsboat (CI installs it)'),
    requireProgram('tmux', ['-V'], 'apt-get install tmux (CI installs it)'),
  ]);
  return clientsChecked;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
  // Someone else's feed on the same server: newsboat must never see it.
  const bob = await signUp();
  await subscribe(bob, '/rss1.rdf');
});

afterAll(async () => {
  for (const session of sessions) await session.kill();
  for (const profile of profiles) await profile.remove();
  await server.close();
  await fixtures.close();
});

async function signUp(email = uniqueEmail('newsboat')): Promise<TestBrowser> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

async function subscribe(browser: TestBrowser, path: string): Promise<void> {
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(response.status).toBe(201);
}

async function webItems(browser: TestBrowser): Promise<WebItem[]> {
  const response = await browser.request('GET', '/api/items?limit=100');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: WebItem[] }).items;
}

async function webItem(browser: TestBrowser, title: string): Promise<WebItem> {
  const found = (await webItems(browser)).find((item) => item.title === title);
  if (found === undefined) throw new Error(`no item ${JSON.stringify(title)} in the web reader`);
  const response = await browser.request('GET', `/api/items/${found.id}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { item: WebItem }).item;
}

async function markOnTheWeb(browser: TestBrowser, title: string, read: boolean): Promise<void> {
  const item = await webItem(browser, title);
  const response = await browser.request('PATCH', `/api/items/${item.id}`, { json: { read } });
  expect(response.status).toBe(200);
}

/** The Google Reader long item id: what newsboat stores as the guid. */
function longItemId(id: string): string {
  return `tag:google.com,2005:reader/item/${BigInt(id).toString(16).padStart(16, '0')}`;
}

async function newsboatProfile(login: string, password: string): Promise<NewsboatProfile> {
  const profile = await createNewsboatProfile({ url: `${server.origin}/api/greader`, login, password });
  profiles.push(profile);
  return profile;
}

/** A user reading two feeds (one item already read on the web), and newsboat logged in with an app password. */
async function userWithNewsboat() {
  await requireClients();
  const email = uniqueEmail('newsboat');
  const browser = await signUp(email);
  await subscribe(browser, '/rss2.xml');
  await subscribe(browser, '/atom.xml');
  await markOnTheWeb(browser, 'First RSS post', true);
  const { password } = await createAppPassword(browser, 'newsboat');
  return { browser, email, profile: await newsboatProfile(email, password) };
}

async function reload(profile: NewsboatProfile): Promise<NewsboatCache> {
  const run = await reloadHeadless(profile);
  expect(run.exitCode, run.output).toBe(0);
  return readNewsboatCache(profile.cacheFile);
}

/** Each cached item as `feed title / item title` → unread, the way newsboat would list it. */
function unreadByTitle(cache: NewsboatCache): Record<string, boolean> {
  const feedTitles = new Map(cache.feeds.map((feed) => [feed.rssurl, feed.title]));
  return Object.fromEntries(
    cache.items.map((item) => [`${feedTitles.get(item.feedurl) ?? '?'} / ${item.title}`, item.unread]),
  );
}

describe('newsboat (feedhq backend) against /api/greader', () => {
  it('lists the user’s feeds and items with their read state', async () => {
    const { browser, profile } = await userWithNewsboat();
    const cache = await reload(profile);

    expect(cache.feeds.map((feed) => feed.title).sort()).toEqual([ATOM, RSS]);
    expect(unreadByTitle(cache)).toEqual({
      [`${RSS} / Second RSS post`]: true,
      [`${RSS} / First RSS post`]: false,
      [`${ATOM} / Atom entry one`]: true,
      [`${ATOM} / Plain text title with 1 < 2`]: true,
    });
    // The guids are the items' Google Reader ids: what newsboat sends back to mark them.
    const web = await webItems(browser);
    expect(cache.items.map((item) => item.guid).sort()).toEqual(web.map((item) => longItemId(item.id)).sort());
  });

  it('an article opened in newsboat is read in the web reader', async () => {
    const { browser, profile } = await userWithNewsboat();
    await reload(profile);
    expect((await webItem(browser, 'Second RSS post')).read).toBe(false);

    const session = await startNewsboatTui(profile);
    sessions.push(session);
    await readArticle(session, RSS, 'Second RSS post');
    // newsboat's requests are synchronous: once it has exited, the server has them all.
    await quitNewsboat(session);

    expect((await webItem(browser, 'Second RSS post')).read, await feedhqWrites(profile)).toBe(true);
    // Only that article: its neighbours keep their state.
    expect((await webItem(browser, 'Atom entry one')).read).toBe(false);
    expect((await webItem(browser, 'Plain text title with 1 < 2')).read).toBe(false);
    expect((await webItem(browser, 'First RSS post')).read).toBe(true);
    // And a fresh reload agrees: the server now reports it read.
    expect(unreadByTitle(await reload(profile))[`${RSS} / Second RSS post`]).toBe(false);
  });

  it('marking an article unread (N) and a feed read (A) in newsboat reach the web reader', async () => {
    const { browser, profile } = await userWithNewsboat();
    await reload(profile);

    // N on an article read on the web: newsboat sends r=read&a=kept-unread&a=tracking-kept-unread.
    let session = await startNewsboatTui(profile);
    sessions.push(session);
    await openFeed(session, RSS);
    await toggleRead(session, 'First RSS post');
    await quitNewsboat(session);
    expect((await webItem(browser, 'First RSS post')).read, await feedhqWrites(profile)).toBe(false);

    // A: newsboat sends mark-all-as-read with s=feed/<id> and no `ts`.
    session = await startNewsboatTui(profile);
    sessions.push(session);
    await openFeed(session, RSS);
    await markFeedRead(session);
    await quitNewsboat(session);
    expect((await webItem(browser, 'First RSS post')).read, await feedhqWrites(profile)).toBe(true);
    expect((await webItem(browser, 'Second RSS post')).read).toBe(true);
    // Only that feed.
    expect((await webItem(browser, 'Atom entry one')).read).toBe(false);
  });

  it('an item marked read in the web reader is read in newsboat after a reload', async () => {
    const { browser, profile } = await userWithNewsboat();
    expect(unreadByTitle(await reload(profile))[`${ATOM} / Atom entry one`]).toBe(true);

    await markOnTheWeb(browser, 'Atom entry one', true);

    const after = unreadByTitle(await reload(profile));
    expect(after[`${ATOM} / Atom entry one`]).toBe(false);
    expect(after[`${ATOM} / Plain text title with 1 < 2`]).toBe(true);
    expect(after[`${RSS} / Second RSS post`]).toBe(true);
  });

  it('an item marked unread again in the web reader is unread in newsboat after a reload', async () => {
    // newsboat changes a cached item's flag only when the entry says so (a `read` or
    // `fresh` category): without one, an item read in newsboat would stay read forever.
    const { browser, profile } = await userWithNewsboat();
    expect(unreadByTitle(await reload(profile))[`${RSS} / First RSS post`]).toBe(false);

    await markOnTheWeb(browser, 'First RSS post', false);

    expect(unreadByTitle(await reload(profile))[`${RSS} / First RSS post`]).toBe(true);
  });

  it('gets nothing with the account password', async () => {
    const { email, profile } = await userWithNewsboat();
    // The same user, the same server: the app password works…
    expect((await reload(profile)).feeds).toHaveLength(2);

    // …and the password that signs in to the web reader does not.
    const withAccountPassword = await newsboatProfile(email, GOOD_PASSWORD);
    const run = await reloadHeadless(withAccountPassword);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('Authentication failed');
    expect(readNewsboatCache(withAccountPassword.cacheFile)).toEqual({ feeds: [], items: [] });
  });
});
