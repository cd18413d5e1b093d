import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
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

// Issue 19, filters and tags in Chromium: a hide rule made in the rules dialog takes its
// item out of the list and the counts at once (and deleting it brings the item back); a
// tag typed under an article lists the tag in the feeds pane, whose tag view holds the item.

const HOUR = 3_600_000;

let browser: Browser;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
const started = closeAfterAll();

/** A feed at /<name>.xml of these titles, the first one newest. */
function serveFeed(name: string, titles: readonly string[]): string {
  const items = titles.map(
    (title, index) =>
      `<item><guid>${name}-${String(index)}</guid><title>${title}</title>
       <pubDate>${new Date(Date.now() - (index + 1) * HOUR).toUTCString()}</pubDate>
       <description>About ${title}.</description></item>`,
  );
  const path = `/${name}.xml`;
  feeds.route(
    path,
    serveRendered(
      `<rss version="2.0"><channel><title>${name}</title>${items.join('')}</channel></rss>`,
      'application/rss+xml; charset=utf-8',
    ),
  );
  return feeds.url(path);
}

beforeAll(async () => {
  feeds = started(await startFixtureFeedServer());
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [feeds.host] }));
  browser = started(await launchChromium());
}, 90_000);

async function inPage(name: string, locale: string | undefined, steps: (page: Page) => Promise<void>) {
  requireBuiltWebApp();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(locale === undefined ? {} : { locale }),
  });
  try {
    const page = await context.newPage();
    const watch = watchPage(context, page);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await explainFailure(page, watch, name, () => steps(page));
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
}

function unreadBadge(page: Page, label: string) {
  return navItem(page, label).locator('.count');
}

describe('filters and tags in Chromium', () => {
  it('hides an item with a rule made in the rules dialog, and shows it again when the rule goes', async () => {
    await inPage('filters-hide', undefined, async (page) => {
      await signUp(page, app.origin, newAccount('Filterer'));
      await subscribeByAddress(page, serveFeed('noisy', ['Kernel news', '这是一条广告', 'Compilers weekly']));
      await navItem(page, 'All items').click();
      await waitForRows(page, 3);
      expect(await unreadBadge(page, 'All items').innerText()).toBe('3');

      await page.getByRole('navigation', { name: 'Feeds' }).getByRole('button', { name: 'Filter rules' }).click();
      const dialog = page.getByRole('dialog', { name: 'Filter rules' });
      await dialog.waitFor();
      expect(await dialog.getByLabel('When an item matches').inputValue()).toBe('hide');
      await dialog.getByLabel('Keywords').fill('广告');
      await dialog.getByRole('button', { name: 'Add rule' }).click();
      await dialog.getByRole('list', { name: 'Your rules' }).getByText('广告').waitFor();
      await screenshotter(page, 'desktop-en')('filters-dialog');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });

      await waitForRows(page, 2);
      expect(await itemRows(page).filter({ hasText: '这是一条广告' }).count()).toBe(0);
      await unreadBadge(page, 'All items').filter({ hasText: /^2$/u }).waitFor();

      await page.getByRole('navigation', { name: 'Feeds' }).getByRole('button', { name: 'Filter rules' }).click();
      await dialog.getByRole('button', { name: 'Delete the rule for 广告' }).click();
      await dialog.getByText('No rules yet.').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await waitForRows(page, 3);
      await unreadBadge(page, 'All items').filter({ hasText: /^3$/u }).waitFor();
    });
  }, 90_000);

  it('tags an item under its title and finds it in the tag view', async () => {
    await inPage('tags-view', undefined, async (page) => {
      await signUp(page, app.origin, newAccount('Tagger'));
      await subscribeByAddress(page, serveFeed('tagged', ['Rust errors', 'Compilers weekly', 'Gardening']));
      await navItem(page, 'All items').click();
      await waitForRows(page, 3);

      await openItemRow(page, itemRows(page).filter({ hasText: 'Compilers weekly' }));
      const tags = articlePane(page).getByRole('group', { name: 'Tags' });
      await tags.getByLabel('Add a tag').fill('编译器');
      await tags.getByLabel('Add a tag').press('Enter');
      await tags.getByRole('button', { name: 'Remove the tag 编译器' }).waitFor();
      expect(await tags.getByLabel('Add a tag').inputValue()).toBe('');

      const tagRow = navItem(page, '编译器');
      await tagRow.locator('.tag-count', { hasText: '1' }).waitFor();
      await screenshotter(page, 'desktop-en')('tags-editor');
      await tagRow.click();
      await waitForRows(page, 1);
      expect(await itemRows(page).first().locator('.item-title').innerText()).toBe('Compilers weekly');
      await page.getByRole('heading', { name: '编译器', level: 2 }).waitFor();

      // The tag also works as a search term, beside the other views.
      await navItem(page, 'All items').click();
      await waitForRows(page, 3);
      await page.getByRole('searchbox').fill('tag:编译器');
      await waitForRows(page, 1);
    });
  }, 90_000);

  it('speaks Chinese in a Chinese browser', async () => {
    await inPage('filters-zh', 'zh-CN', async (page) => {
      // Signed up by the API: the sign-up screen's Chinese is the i18n tests' to check.
      await page.goto(`${app.origin}/`);
      const account = newAccount('Lin');
      await page.evaluate(async (body) => {
        const csrf = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
        const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.csrfToken };
        const response = await fetch('/api/auth/signup', { method: 'POST', headers, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`signup: ${String(response.status)} ${await response.text()}`);
      }, account);
      await page.goto(`${app.origin}/`);
      await page.getByRole('navigation', { name: '订阅源' }).getByRole('button', { name: '过滤规则' }).click();
      const dialog = page.getByRole('dialog', { name: '过滤规则' });
      await dialog.getByText('还没有规则。').waitFor();
      expect(await dialog.getByLabel('文章匹配时').locator('option').allInnerTexts()).toEqual([
        '隐藏',
        '只保留匹配的',
        '加星标',
        '标为已读',
      ]);
      await screenshotter(page, 'desktop-zh-CN')('filters-dialog');
    });
  }, 90_000);
});
