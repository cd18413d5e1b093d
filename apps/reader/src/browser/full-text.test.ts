import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { fixture, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { serveRendered } from './fixture-templates.js';
import { watchPage } from './page-watch.js';
import {
  articlePane,
  itemRows,
  navItem,
  newAccount,
  openItemRow,
  signUp,
  subscribeByAddress,
  waitForRows,
} from './reader-ui.js';
import { explainFailure, screenshotter } from './screens.js';

// Issue 19, full text: a feed that sends one line per item, read in Chromium. The button
// loads the article from the item's page, the feed's line comes back on request, the feed
// settings' switch makes new items arrive whole, and the button speaks Chinese.

const FEED_LINE = 'FEED SUMMARY: only the first line of the story';
const ARTICLE_TEXT = 'FULL ARTICLE FIRST PARAGRAPH.';
const HOSTILE_TEXT = 'HOSTILE ARTICLE TEXT.';

let browser: Browser;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
const started = closeAfterAll();

/** A truncated feed at /<name>.xml whose items link to pages of the fixture server. */
function serveTruncatedFeed(name: string, items: readonly (readonly [title: string, page: string])[]): string {
  const entries = items.map(
    ([title, page], index) =>
      `<item><guid>${name}-${title}</guid><title>${title}</title><link>${feeds.url(page)}</link>
       <pubDate>${new Date(Date.now() - index * 3_600_000).toUTCString()}</pubDate>
       <description>${FEED_LINE} (${title})…</description></item>`,
  );
  const path = `/${name}.xml`;
  feeds.route(
    path,
    serveRendered(
      `<rss version="2.0"><channel><title>${name}</title>${entries.join('')}</channel></rss>`,
      'application/rss+xml; charset=utf-8',
    ),
  );
  return feeds.url(path);
}

beforeAll(async () => {
  feeds = started(await startFixtureFeedServer());
  feeds.route('/pages/zeppelin.html', serveRendered(fixture('article-page.html').toString(), 'text/html'));
  feeds.route('/pages/hostile.html', serveRendered(fixture('article-hostile.html').toString(), 'text/html'));
  feeds.route('/pages/zh.html', serveRendered(fixture('article-page-zh.html').toString(), 'text/html; charset=utf-8'));
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [feeds.host] }));
  browser = started(await launchChromium());
}, 90_000);

async function inContext(
  name: string,
  options: { locale?: string },
  steps: (page: Page, context: BrowserContext) => Promise<void>,
) {
  requireBuiltWebApp();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  try {
    const page = await context.newPage();
    const watch = watchPage(context, page);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await explainFailure(page, watch, name, async () => {
      try {
        await steps(page, context);
      } catch (error) {
        if (error instanceof Error) error.message += `\n  page errors: ${JSON.stringify(pageErrors)}`;
        throw error;
      }
    });
    expect(pageErrors).toEqual([]);
    // Whatever the article held, nothing of it ran.
    expect(watch.dialogs).toEqual([]);
    expect(await page.evaluate(() => String((globalThis as Record<string, unknown>).__fullTextRan))).toBe('undefined');
  } finally {
    await context.close();
  }
}

describe('full text in Chromium', () => {
  it('loads the full article of a truncated item with the button, and goes back to the feed’s text', async () => {
    await inContext('full-text-button', {}, async (page) => {
      await signUp(page, app.origin, newAccount('Reader'));
      await subscribeByAddress(
        page,
        serveTruncatedFeed('truncated', [
          ['Zeppelin rebuilt', '/pages/zeppelin.html'],
          ['A page that fights back', '/pages/hostile.html'],
          ['Gone', '/pages/gone.html'],
        ]),
      );
      await waitForRows(page, 3);
      const pane = articlePane(page);

      await openItemRow(page, itemRows(page).filter({ hasText: 'Zeppelin rebuilt' }));
      await pane.getByText(`${FEED_LINE} (Zeppelin rebuilt)`).waitFor();
      expect(await pane.getByText(ARTICLE_TEXT).count()).toBe(0);

      await pane.getByRole('button', { name: 'Load full article' }).click();
      await pane.getByText(ARTICLE_TEXT).waitFor();
      const content = pane.locator('.article-content');
      expect(await content.innerText()).toContain('The last paragraph looks ahead.');
      expect(await content.innerText()).not.toContain('SITE NAVIGATION');
      expect(await content.innerText()).not.toContain(FEED_LINE);
      await screenshotter(page, 'desktop-en')('full-text');

      await pane.getByRole('button', { name: 'Show feed text' }).click();
      await pane.getByText(`${FEED_LINE} (Zeppelin rebuilt)`).waitFor();
      // Kept: the article comes back without asking the site again.
      await pane.getByRole('button', { name: 'Load full article' }).click();
      await pane.getByText(ARTICLE_TEXT).waitFor();
      expect(feeds.requests('/pages/zeppelin.html')).toHaveLength(1);

      // A page full of tricks shows as text, and none of them runs (checked after the steps).
      await openItemRow(page, itemRows(page).filter({ hasText: 'A page that fights back' }));
      await pane.getByRole('button', { name: 'Load full article' }).click();
      await pane.getByText(HOSTILE_TEXT).waitFor();
      await pane.getByText('hover me').hover();
      await pane.getByText('click me').click();
      expect(
        await pane.locator('.article-content script, .article-content [onerror], [href^="javascript"]').count(),
      ).toBe(0);

      // A page that cannot be fetched: said so in words, and the feed's text stays.
      await openItemRow(page, itemRows(page).filter({ hasText: 'Gone' }));
      await pane.getByRole('button', { name: 'Load full article' }).click();
      await pane.getByRole('alert').getByText('Could not fetch the original page.', { exact: false }).waitFor();
      await pane.getByText(`${FEED_LINE} (Gone)`).waitFor();
    });
  }, 90_000);

  it('shows new items whole once "Full text" is switched on in the feed settings', async () => {
    await inContext('full-text-setting', {}, async (page) => {
      await signUp(page, app.origin, newAccount('Whole'));
      const feedUrl = serveTruncatedFeed('switched', [['Zeppelin again', '/pages/zeppelin.html']]);
      await subscribeByAddress(page, feedUrl);
      await waitForRows(page, 1);

      await navItem(page, 'switched').click();
      await page.getByRole('button', { name: 'Feed settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Feed settings' });
      await dialog.getByLabel('Full text').check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Switching on extracts the newest items in the background.
      await app.reader.fullText.idle();

      await openItemRow(page, itemRows(page).first());
      const pane = articlePane(page);
      await pane.getByText(ARTICLE_TEXT).waitFor();
      await pane.getByRole('button', { name: 'Show feed text' }).waitFor();
    });
  }, 90_000);

  it('speaks Chinese in a Chinese browser', async () => {
    await inContext('full-text-zh', { locale: 'zh-CN' }, async (page) => {
      await page.goto(`${app.origin}/`);
      const account = newAccount('Lin');
      await page.evaluate(
        async (body) => {
          for (const [path, json] of [
            ['/api/auth/signup', body.account],
            ['/api/subscriptions', { url: body.feedUrl }],
          ] as const) {
            // A fresh token each time: signing up starts a session with a new CSRF secret.
            const csrf = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
            const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.csrfToken };
            const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(json) });
            if (!response.ok) throw new Error(`${path}: ${String(response.status)}`);
          }
        },
        {
          account: { email: account.email, password: account.password, name: account.name },
          feedUrl: serveTruncatedFeed('zh', [['港口飞艇', '/pages/zh.html']]),
        },
      );
      await page.goto(`${app.origin}/`);
      await openItemRow(page, itemRows(page).first());
      const pane = page.getByRole('region', { name: '文章' });
      await pane.getByRole('button', { name: '加载全文' }).click();
      await pane.getByText('正文第一段', { exact: false }).waitFor();
      await pane.getByRole('button', { name: '显示订阅源内容' }).waitFor();
      await screenshotter(page, 'desktop-zh-CN')('full-text');
    });
  }, 90_000);
});
