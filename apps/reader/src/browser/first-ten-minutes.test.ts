import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { startFixtureFeedServer, serveFile, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { watchPage } from './page-watch.js';
import {
  accountMenuButton,
  articlePane,
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

// Issue 19, items 2 and 8, tried as a new user would on a fresh install: the first page, the
// first mistakes, the first refusal, the recommended feeds, and reading an article.

const FEED_TITLE = 'Harbor Security Notes';
const ARTICLE_TITLE = 'Why session cookies should be HttpOnly';
/** An address with nothing to break a line at, as long as a pasted tracking URL. */
const LONG_LOOPBACK_URL = `http://localhost:8080/${'a'.repeat(300)}/feed.xml`;

let browser: Browser;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
let shipped: BrowserReaderServer;
const started = closeAfterAll();

beforeAll(async () => {
  feeds = started(await startFixtureFeedServer());
  feeds.route('/journey-security.xml', serveFile('journey-security.xml', 'application/rss+xml; charset=utf-8'));
  const catalogue = {
    topics: [
      {
        id: 'security',
        name: { en: 'Security', 'zh-CN': '安全' },
        feeds: [
          {
            id: 'harbor',
            title: FEED_TITLE,
            siteUrl: 'https://harbor-security.example/',
            feedUrl: feeds.url('/journey-security.xml'),
            description: 'Short notes on defending web applications.',
            language: 'en',
          },
        ],
      },
      {
        id: 'chinese',
        name: { en: 'Chinese tech', 'zh-CN': '中文技术' },
        feeds: [
          // Known by its site only: subscribing finds the feed its page names.
          { id: 'by-site', title: '小众站点', siteUrl: feeds.url('/site.html'), language: 'zh-CN' },
        ],
      },
    ],
  };
  app = started(
    await startBrowserReaderServer({ fetchAllowHosts: [feeds.host], catalogueJson: JSON.stringify(catalogue) }),
  );
  shipped = started(await startBrowserReaderServer({ fetchAllowHosts: [] }));
  browser = started(await launchChromium());
}, 90_000);

async function newPage(locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale,
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  return { context, page: await context.newPage() };
}

/** The little of the DOM these checks read (the server's tsconfig has no DOM types). */
interface ShownElement {
  closest(selector: string): unknown;
  scrollWidth: number;
  clientWidth: number;
}

/** How many elements on screen say `text`: what a person reads (a screen reader's live region aside). */
function timesShown(page: Page, text: string): Promise<number> {
  return page
    .getByText(text)
    .filter({ visible: true })
    .evaluateAll(
      (elements: ShownElement[]) => elements.filter((element) => element.closest('.visually-hidden') === null).length,
    );
}

/** Whether a box's text runs out of it sideways (a line that did not wrap). */
function overflowsSideways(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element: ShownElement) => element.scrollWidth > element.clientWidth + 1);
}

describe('the first ten minutes on a fresh install', () => {
  it('opens on "Create account", says each mistake once and without "Invalid input:", and hints at no j with nothing to read', async () => {
    requireBuiltWebApp();
    const { context, page } = await newPage();
    const watch = watchPage(context, page);
    try {
      await explainFailure(page, watch, 'first-run', async () => {
        const shot = screenshotter(page, 'first-run');
        await page.goto(`${app.origin}/`);
        await page.getByRole('heading', { name: 'Create your account' }).waitFor();
        expect(await page.getByRole('heading', { name: 'Welcome back' }).count()).toBe(0);
        await shot('01-fresh-install');

        const account = newAccount('First User');
        await fillSignUpForm(page, account);
        await page.getByLabel('Password', { exact: true }).fill('password');
        await page.getByRole('button', { name: 'Create account', exact: true }).click();
        await page.locator('#signup-password-error').waitFor();
        await shot('02-weak-password');
        expect(await timesShown(page, 'one of the most common passwords')).toBe(1);
        expect(await timesShown(page, 'Invalid input')).toBe(0);

        await page.getByLabel('Password', { exact: true }).fill(account.password);
        await submitSignUp(page, account);
        await page.getByText('No feeds yet').waitFor();
        const article = articlePane(page);
        await article.getByText('Nothing to read here yet').waitFor();
        expect(await article.innerText()).not.toMatch(/press\s+j/iu);
        await shot('03-nothing-to-read');

        // Signed out, the install has an account now: the page greets a returning user.
        await accountMenuButton(page, account).click();
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
      });
    } finally {
      await context.close();
    }
  });

  it('refuses a feed server on the reader’s own machine once, pointing to the administrator, and the long address wraps', async () => {
    requireBuiltWebApp();
    const { context, page } = await newPage();
    const watch = watchPage(context, page);
    try {
      await explainFailure(page, watch, 'loopback', async () => {
        const account = newAccount('Local Feeds');
        await openSignInPage(page, app.origin);
        await fillSignUpForm(page, account);
        await submitSignUp(page, account);
        const dialog = await openSubscribeDialog(page);
        await dialog.getByLabel('Feed or site address').fill(LONG_LOOPBACK_URL);
        await dialog.getByRole('button', { name: 'Subscribe', exact: true }).click();
        const alert = dialog.locator('.alert');
        await alert.waitFor();
        await screenshotter(page, 'loopback')('04-refused');
        const said = await alert.innerText();
        expect(said).toContain('ask the administrator of this reader to allow it');
        // The setting is the operator's business: the server log names it, not the page.
        expect(said).not.toContain('READER_FETCH_ALLOW_HOSTS');
        expect(await timesShown(page, 'Could not fetch a feed from that address')).toBe(1);
        expect(await overflowsSideways(page, '.dialog .alert')).toBe(false);
      });
    } finally {
      await context.close();
    }
  });

  it('shows the recommended feeds by group in the page’s language, and subscribes to a source known by its site', async () => {
    requireBuiltWebApp();
    for (const [locale, groups] of [
      ['en-GB', ['Security', 'Chinese tech']],
      ['zh-CN', ['安全', '中文技术']],
    ] as const) {
      const { context, page } = await newPage(locale);
      const watch = watchPage(context, page);
      try {
        await explainFailure(page, watch, `catalogue-${locale}`, async () => {
          const account = newAccount('Cata Logue');
          // Signed up through the API: the form's language is not what this test is about.
          const signup = await context.request.post(`${app.origin}/api/auth/signup`, {
            data: { email: account.email, password: account.password, name: account.name },
            headers: { Origin: app.origin, 'X-CSRF-Token': await csrfToken(context) },
          });
          expect(signup.status()).toBe(201);
          await page.goto(`${app.origin}/`);
          // The feeds pane's first button, whatever the language calls it.
          await page.locator('.pane-feeds .button-primary').click();
          const dialog = page.getByRole('dialog');
          await dialog.locator('.catalogue-card').first().waitFor();
          expect(await dialog.locator('.topic-title').allTextContents()).toEqual(groups);
          expect(await dialog.locator('.catalogue-name[lang="zh-CN"]').innerText()).toBe('小众站点');
          await screenshotter(page, `catalogue-${locale}`)('05-recommended');
          if (locale === 'en-GB') {
            await dialog.getByRole('button', { name: 'Subscribe to 小众站点' }).click();
            await dialog.locator('.catalogue-card', { hasText: '小众站点' }).getByText('Subscribed').waitFor();
          }
        });
      } finally {
        await context.close();
      }
    }
  }, 90_000);

  it('shows the shipped catalogue as the seed does: one list, no group heading, Chinese sources by their names', async () => {
    requireBuiltWebApp();
    const { context, page } = await newPage();
    try {
      const account = newAccount('Seed Reader');
      await openSignInPage(page, shipped.origin);
      await fillSignUpForm(page, account);
      await submitSignUp(page, account);
      const dialog = await openSubscribeDialog(page);
      await dialog.locator('.catalogue-card').first().waitFor();
      expect(await dialog.locator('.topic-title').count()).toBe(0);
      const names = await dialog.locator('.catalogue-name').allInnerTexts();
      expect(names[0]).toBe('Full Disclosure');
      for (const chinese of ['小众软件', '量子位', 'OSCHINA 社区最新新闻', '博客园_首页', '腾讯CDC']) {
        expect(names).toContain(chinese);
      }
      await screenshotter(page, 'desktop')('06-shipped-catalogue');
    } finally {
      await context.close();
    }
  });

  it('reads an article as the seed shows it, opens it by its own address, and clears it when the list changes', async () => {
    requireBuiltWebApp();
    const { context, page } = await newPage();
    const watch = watchPage(context, page);
    try {
      await explainFailure(page, watch, 'article-view', async () => {
        const shot = screenshotter(page, 'article');
        const account = newAccount('Art Icle');
        await openSignInPage(page, app.origin);
        await fillSignUpForm(page, account);
        await submitSignUp(page, account);
        const dialog = await openSubscribeDialog(page);
        await dialog.getByRole('button', { name: `Subscribe to ${FEED_TITLE}` }).click();
        await dialog.locator('.catalogue-card', { hasText: FEED_TITLE }).getByText('Subscribed').waitFor();
        await dialog.getByRole('button', { name: 'Close' }).click();

        await navItem(page, FEED_TITLE).click();
        await waitForRows(page, 4);
        await openItemRow(page, itemRows(page).filter({ hasText: ARTICLE_TITLE }));
        const article = articlePane(page);
        const meta = await article.locator('.article-meta').innerText();
        // Author · date · via the source · where the original lives.
        expect(meta).toMatch(
          /^Rosa Lindqvist · .*14 Nov 2024.* · via Harbor Security Notes · harbor-security\.example$/u,
        );
        const original = article.locator('.article-toolbar a', { hasText: 'Read original' });
        expect(await original.getAttribute('href')).toBe('https://harbor-security.example/notes/httponly-cookies');
        expect(await original.getAttribute('rel')).toBe('noopener noreferrer');
        const inReader = article.locator('.article-toolbar').getByRole('link', { name: 'Open in reader' });
        const link = (await inReader.getAttribute('href')) ?? '';
        expect(link).toMatch(/^\/\?item=/u);
        await shot('07-article');

        // The article's own address opens the reader on it (loaded here: the watch closes new tabs).
        await page.goto(`${app.origin}${link}`);
        await page.locator('#article-title', { hasText: ARTICLE_TITLE }).waitFor();
        expect(new URL(page.url()).search).toBe('');

        // "via" the article's own feed keeps it open; another list does not.
        await article.getByRole('button', { name: FEED_TITLE }).click();
        await waitForRows(page, 4);
        expect(await page.locator('#article-title').count()).toBe(1);
        await navItem(page, 'Starred').click();
        await page.locator('.pane-items').getByText('No starred items').waitFor();
        expect(await page.locator('#article-title').count()).toBe(0);
        await shot('08-list-changed');

        // The Unread filter of a feed is another list too.
        await navItem(page, FEED_TITLE).click();
        await waitForRows(page, 4);
        await openItemRow(page, itemRows(page).first());
        await page.locator('.pane-items').getByRole('button', { name: 'Unread', exact: true }).click();
        await page.locator('.article-placeholder').waitFor();
        expect(await page.locator('#article-title').count()).toBe(0);
      });
    } finally {
      await context.close();
    }
  });
});

async function csrfToken(context: BrowserContext): Promise<string> {
  const response = await context.request.get(`${app.origin}/api/auth/csrf`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}
