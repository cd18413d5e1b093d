import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFixtureFeedServer, serveFile, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { launchChromium } from '../../../../test-support/chromium.js';
import { renderFixture } from './fixture-templates.js';
import { watchPage } from './page-watch.js';
import {
  articlePane,
  backToFeeds,
  fillSignUpForm,
  itemRows,
  navItem,
  newAccount,
  openItemRow,
  openSignInPage,
  openSubscribeDialog,
  submitSignUp,
  waitForRows,
} from './reader-ui.js';
import { explainFailure, screenshotter } from './screens.js';

// Issue 7, tried as a new user would: sign up, subscribe to a recommended feed (the
// catalogue points at a local fixture server), read an article, star it, search for it and
// export OPML; at a desktop width and at a phone's, with a screenshot of every screen.

const FEED_TITLE = 'Harbor Security Notes';
const ARTICLE_TITLE = 'Why session cookies should be HttpOnly';
/** A word only that article's body holds. */
const SEARCH_WORD = 'kerberoasting';

const DEVICES = [
  { device: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
  { device: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

let browser: Browser;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
let feedUrl: string;
const started = closeAfterAll();

beforeAll(async () => {
  feeds = started(await startFixtureFeedServer());
  feeds.route('/journey-security.xml', serveFile('journey-security.xml', 'application/rss+xml; charset=utf-8'));
  feedUrl = feeds.url('/journey-security.xml');
  app = started(
    await startBrowserReaderServer({
      fetchAllowHosts: [feeds.host],
      catalogueJson: renderFixture('journey-catalogue.json', { FIXTURE_ORIGIN: feeds.origin }),
    }),
  );
  browser = started(await launchChromium());
}, 90_000);

/** The reader's API with the browser's own cookies: what the server stored for this user. */
async function stored<T>(context: BrowserContext, path: string): Promise<T> {
  const response = await context.request.get(`${app.origin}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

interface StoredItem {
  id: string;
  title: string;
  read: boolean;
  starred: boolean;
}

describe.each(DEVICES)('a new user on a $device screen', ({ device, viewport, isMobile }) => {
  it('signs up, subscribes to a recommended feed, reads, stars and finds an article, and exports OPML', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({
      viewport,
      isMobile,
      hasTouch: isMobile,
      acceptDownloads: true,
      locale: 'en-GB',
      timezoneId: 'UTC',
      // The phone's panes slide; screenshots should show where they land.
      reducedMotion: 'reduce',
    });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, `journey-${device}`, async () => {
        const shot = screenshotter(page, device);

        await openSignInPage(page, app.origin);
        await shot('01-sign-in');
        const account = newAccount('Ada Lovelace');
        await fillSignUpForm(page, account);
        await shot('02-create-account');
        await submitSignUp(page, account);
        await page.getByText('No feeds yet').waitFor();
        await shot('03-empty-reader');

        const dialog = await openSubscribeDialog(page);
        const subscribeButton = dialog.getByRole('button', { name: `Subscribe to ${FEED_TITLE}` });
        await subscribeButton.waitFor();
        await shot('04-recommended-feeds');
        await subscribeButton.click();
        await dialog.locator('.catalogue-card', { hasText: FEED_TITLE }).getByText('Subscribed').waitFor();
        await shot('05-subscribed');
        await dialog.getByRole('button', { name: 'Close' }).click();
        await dialog.waitFor({ state: 'detached' });
        const { subscriptions } = await stored<{
          subscriptions: { title: string; feedUrl: string; siteUrl: string; unreadCount: number }[];
        }>(context, '/api/subscriptions');
        expect(subscriptions).toEqual([
          expect.objectContaining({
            title: FEED_TITLE,
            feedUrl,
            siteUrl: 'https://harbor-security.example/',
            unreadCount: 4,
          }),
        ]);

        await navItem(page, FEED_TITLE).click();
        await waitForRows(page, 4);
        await shot('06-feed');

        await openItemRow(page, itemRows(page).filter({ hasText: ARTICLE_TITLE }));
        const article = articlePane(page);
        await article.getByText('What HttpOnly changes').waitFor();
        const meta = await article.locator('.article-meta').innerText();
        expect(meta).toContain('Rosa Lindqvist');
        expect(meta).toContain('14 Nov 2024');
        expect(meta).toContain(`via ${FEED_TITLE}`);
        const original = article.locator('.article-footer a', { hasText: 'Read original' });
        expect(await original.getAttribute('href')).toBe('https://harbor-security.example/notes/httponly-cookies');
        expect(await original.getAttribute('rel')).toBe('noopener noreferrer');
        await shot('07-article');

        await article.locator('button[title="Star (s)"]').click();
        await article.locator('button[title="Star (s)"][aria-pressed="true"]').waitFor();
        await shot('08-starred-article');
        const starred = await stored<{ items: StoredItem[] }>(context, '/api/items?view=starred');
        expect(starred.items).toEqual([expect.objectContaining({ title: ARTICLE_TITLE, starred: true, read: true })]);

        await backToFeeds(page);
        await navItem(page, 'Starred').click();
        await waitForRows(page, 1);
        expect(await itemRows(page).first().locator('.item-title').innerText()).toBe(ARTICLE_TITLE);
        await shot('09-starred-list');

        await backToFeeds(page);
        await navItem(page, 'All items').click();
        await waitForRows(page, 4);
        await page.getByRole('searchbox', { name: 'Search All items' }).fill(SEARCH_WORD);
        await waitForRows(page, 1);
        expect(await itemRows(page).first().locator('.item-title').innerText()).toBe(ARTICLE_TITLE);
        await shot('10-search');
        const found = await stored<{ items: StoredItem[] }>(context, `/api/items?q=${SEARCH_WORD}`);
        expect(found.items.map((item) => item.title)).toEqual([ARTICLE_TITLE]);

        await backToFeeds(page);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Export OPML' }).click(),
        ]);
        const opml = readFileSync(await download.path(), 'utf8');
        expect(download.suggestedFilename()).toMatch(/\.opml$/u);
        expect(opml).toContain('<opml version="2.0">');
        expect(opml.match(/<outline /gu)).toHaveLength(1);
        expect(opml).toContain(`xmlUrl="${feedUrl}"`);
        expect(opml).toContain(`text="${FEED_TITLE}"`);
        expect(opml).toContain('htmlUrl="https://harbor-security.example/"');
        await shot('11-after-export');

        // A clean journey: nothing the app did was refused by its own CSP or failed in the console,
        // but for the signed-out page asking who is signed in (Chromium logs that 401 as an error).
        const signedOutProbe = `401 (Unauthorized) (${app.origin}/api/auth/me)`;
        expect(watch.consoleErrors.filter((error) => !error.endsWith(signedOutProbe))).toEqual([]);
        expect(watch.dialogs).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});
