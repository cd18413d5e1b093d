import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { serveBytes, solidPng } from '../test-support/media-fixtures.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { serveRendered } from './fixture-templates.js';
import { watchPage, type PageWatch } from './page-watch.js';
import {
  articlePane,
  backToFeeds,
  itemRows,
  navItem,
  newAccount,
  openItemRow,
  openSignInPage,
  openSubscribeDialog,
  signUp,
  subscribeByAddress,
} from './reader-ui.js';
import { explainFailure, SCREENS_DIR, screenshotter } from './screens.js';

// Issue 19, reading comfort in Chromium: the theme (chosen, and the system's), text size and
// line width in the article, thumbnails in the list, infinite scroll that keeps its place,
// and mark-as-read on scroll marking exactly what was seen and scrolled past. Screens in
// light and dark at a desktop's and a phone's width: SCREENS_DIR/comfort/.

/** More than two pages of 50: the list must load twice more on its own. */
const ITEM_COUNT = 120;
const FEED_TITLE = 'Comfort Fixture Weekly';
const HOUR = 3_600_000;

let browser: Browser;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
const started = closeAfterAll();

/** Item n (1 = newest): every third has a Media RSS thumbnail on the fixture server (http: proxied). */
function comfortFeed(origin: string): string {
  const items = Array.from({ length: ITEM_COUNT }, (_, index) => {
    const n = index + 1;
    const thumbnail = n % 3 === 1 ? `<media:thumbnail url="${origin}/thumbs/${String(n % 4)}.png" />` : '';
    return `<item>
      <guid isPermaLink="false">comfort-${String(n)}</guid>
      <title>Comfort item ${String(n).padStart(3, '0')}: notes on reading long articles</title>
      <link>https://comfort.example/posts/${String(n)}</link>
      <pubDate>${new Date(Date.now() - n * HOUR).toUTCString()}</pubDate>
      ${thumbnail}
      <description><![CDATA[<p>Paragraph one of item ${String(n)}. A comfortable line holds about sixty-five characters, and text that is large enough to read without leaning in.</p><p>Paragraph two says more, so that the article has some body to measure.</p>]]></description>
    </item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
    <title>${FEED_TITLE}</title><link>https://comfort.example/</link>${items.join('')}</channel></rss>`;
}

beforeAll(async () => {
  feeds = started(await startFixtureFeedServer());
  feeds.route('/comfort.xml', serveRendered(comfortFeed(feeds.origin), 'application/rss+xml; charset=utf-8'));
  const colours = [
    [79, 70, 229],
    [14, 116, 144],
    [180, 83, 9],
    [21, 128, 61],
  ] as const;
  colours.forEach((rgb, index) => {
    feeds.route(`/thumbs/${String(index)}.png`, serveBytes(solidPng(96, 96, rgb), 'image/png'));
  });
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [feeds.host] }));
  browser = started(await launchChromium());
  mkdirSync(join(SCREENS_DIR, 'comfort'), { recursive: true });
}, 90_000);

const DESKTOP = {
  viewport: { width: 1280, height: 800 },
  locale: 'en-US',
  timezoneId: 'UTC',
  reducedMotion: 'reduce',
} as const;

/** A signed-up user subscribed to the comfort feed, its first page of items listed. */
async function readerWithFeed(page: Page): Promise<void> {
  await signUp(page, app.origin, newAccount('Rea Der'));
  await subscribeByAddress(page, feeds.url('/comfort.xml'));
  await itemRows(page).nth(49).waitFor();
}

/** The reader API with the browser's own cookies. */
async function stored<T>(context: BrowserContext, path: string): Promise<T> {
  const response = await context.request.get(`${app.origin}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

async function storedTheme(context: BrowserContext): Promise<string> {
  return (await stored<{ preferences: { theme: string } }>(context, '/api/preferences')).preferences.theme;
}

/** Every item of the feed (three pages), with its read mark, by id. */
async function readMarks(context: BrowserContext): Promise<Map<string, boolean>> {
  const marks = new Map<string, boolean>();
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: { items: { id: string; read: boolean }[]; nextCursor: string | null } = await stored(
      context,
      `/api/items?limit=100${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    for (const item of page.items) marks.set(item.id, item.read);
    cursor = page.nextCursor;
  }
  return marks;
}

async function readIds(context: BrowserContext): Promise<string[]> {
  return [...(await readMarks(context))].filter(([, read]) => read).map(([id]) => id);
}

/**
 * Console errors of this feature: a missing translation, a failed preferences, items or
 * media request. (The sign-in screens' own requests are other tests' business.)
 */
const unexpectedErrors = (watch: PageWatch) =>
  watch.consoleErrors.filter((error) => /i18n|\/api\/(preferences|items|media)/u.test(error));

const themeOf = (page: Page) => page.evaluate<string | undefined>('document.documentElement.dataset.theme');
const backgroundOf = (page: Page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

async function openReadingSettings(page: Page) {
  await page.getByRole('button', { name: 'Reading settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reading settings' });
  await dialog.waitFor();
  return dialog;
}

/** Waits for the server to have saved what the page shows: the PATCH answered. */
async function choose(page: Page, dialog: ReturnType<Page['getByRole']>, name: string): Promise<void> {
  const saved = page.waitForResponse(
    (response) => response.url().endsWith('/api/preferences') && response.request().method() === 'PATCH',
  );
  await dialog.getByRole('radio', { name, exact: true }).check();
  expect((await saved).status()).toBe(200);
}

const LIST_BODY = "document.querySelector('.pane-items .list-body')";
const listScrollTop = (page: Page) => page.evaluate<number>(`${LIST_BODY}.scrollTop`);
const scrollListTo = (page: Page, top: number) => page.evaluate(`${LIST_BODY}.scrollTop = ${String(top)}`);
/** Scrolls the list to its end; returns where that is. */
const scrollListToEnd = (page: Page) =>
  page.evaluate<number>(`(() => {
    const body = ${LIST_BODY};
    body.scrollTop = body.scrollHeight - body.clientHeight;
    return body.scrollTop;
  })()`);
/** Where row `n` (0-based) starts inside the scrolled list (the list body is the rows' offsetParent). */
const rowTop = (page: Page, n: number) =>
  page.evaluate<number>(`${LIST_BODY}.querySelectorAll('[data-item-id]')[${String(n)}].offsetTop`);

/** The ids of the rows at least half on screen in the list: what the reader has seen. */
const rowsSeen = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const body = ${LIST_BODY};
    const box = body.getBoundingClientRect();
    const top = box.top + body.clientTop;
    const bottom = top + body.clientHeight;
    return [...body.querySelectorAll('[data-item-id]')]
      .filter((row) => {
        const r = row.getBoundingClientRect();
        return Math.min(r.bottom, bottom) - Math.max(r.top, top) >= r.height / 2;
      })
      .map((row) => row.dataset.itemId);
  })()`);

/**
 * Scrolls the list down a few pixels at a time until row `n` is just past the top (1 px
 * into the next row: a row whose edge touches the top still counts as on screen). The next
 * row's place is read again each step: rows turning read may change height above it.
 */
async function slowlyScrollPast(page: Page, n: number): Promise<void> {
  const target = async () => (await rowTop(page, n + 1)) + 1;
  for (let top = await listScrollTop(page); top < (await target()); top = await listScrollTop(page)) {
    await scrollListTo(page, Math.min(await target(), top + 25));
    await settle(page);
  }
}

/** Two frames: the intersection observers have run for what the last scroll did. */
const settle = (page: Page) =>
  page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');

describe('theme', () => {
  it('Dark in the reading settings darkens the page, is saved on the server and survives a reload and another browser', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({ ...DESKTOP, colorScheme: 'light' });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-theme', async () => {
        await signUp(page, app.origin, newAccount('Dee Ark'));
        expect(await themeOf(page)).toBe('light');
        const light = await backgroundOf(page);

        const dialog = await openReadingSettings(page);
        await choose(page, dialog, 'Dark');
        expect(await themeOf(page)).toBe('dark');
        expect(await backgroundOf(page)).not.toBe(light);
        expect(await storedTheme(context)).toBe('dark');

        await page.reload();
        await page.getByRole('button', { name: 'Reading settings' }).waitFor();
        expect(await themeOf(page)).toBe('dark');

        // Another browser: only the session cookie, nothing this one remembered locally.
        const { cookies } = await context.storageState();
        const elsewhere = await browser.newContext({
          ...DESKTOP,
          colorScheme: 'light',
          storageState: { cookies, origins: [] },
        });
        try {
          const other = await elsewhere.newPage();
          await other.goto(`${app.origin}/`);
          await other.getByRole('button', { name: 'Reading settings' }).waitFor();
          await expect.poll(() => themeOf(other)).toBe('dark');
        } finally {
          await elsewhere.close();
        }

        const again = await openReadingSettings(page);
        await choose(page, again, 'Light');
        expect(await themeOf(page)).toBe('light');
        expect(await storedTheme(context)).toBe('light');
        expect(unexpectedErrors(watch)).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('System follows the operating system’s dark mode, live', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({ ...DESKTOP, colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-system-theme', async () => {
        await signUp(page, app.origin, newAccount('Sys Tem'));
        expect(await storedTheme(context)).toBe('system');
        expect(await themeOf(page)).toBe('dark');
        await page.emulateMedia({ colorScheme: 'light' });
        await expect.poll(() => themeOf(page)).toBe('light');
        await page.emulateMedia({ colorScheme: 'dark' });
        await expect.poll(() => themeOf(page)).toBe('dark');
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('text size and line width', () => {
  it('change the open article’s computed font size and width', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext(DESKTOP);
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-text-size', async () => {
        await readerWithFeed(page);
        await openItemRow(page, itemRows(page).first());
        const content = articlePane(page).locator('.article-content');
        // Page functions run in the page: only globals there (the server's TypeScript has no DOM types).
        const fontSize = () =>
          content.evaluate(
            (element) =>
              (globalThis as unknown as { getComputedStyle: (e: unknown) => { fontSize: string } }).getComputedStyle(
                element,
              ).fontSize,
          );
        const articleWidth = () =>
          articlePane(page)
            .locator('article.article')
            .evaluate((element) => (element as unknown as { clientWidth: number }).clientWidth);
        expect(await fontSize()).toBe('17px');
        const mediumWidth = await articleWidth();

        const dialog = await openReadingSettings(page);
        await choose(page, dialog, 'Extra large');
        expect(parseFloat(await fontSize())).toBeCloseTo(17 * 1.3, 1);
        await choose(page, dialog, 'Small');
        expect(parseFloat(await fontSize())).toBeCloseTo(17 * 0.88, 1);
        await choose(page, dialog, 'Narrow');
        expect(await articleWidth()).toBeLessThan(mediumWidth);
        await dialog.getByRole('button', { name: 'Close' }).click();

        await page.reload();
        await openItemRow(page, itemRows(page).first());
        await expect.poll(fontSize).toBe(`${String(17 * 0.88)}px`);
        expect(await stored(context, '/api/preferences')).toEqual({
          preferences: expect.objectContaining({ fontSize: 'small', lineWidth: 'narrow' }) as unknown,
        });
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('the item list', () => {
  it('shows a fixed-size thumbnail for items with a picture, and none for the others', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext(DESKTOP);
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-thumbnails', async () => {
        await readerWithFeed(page);
        const first = itemRows(page).nth(0).locator('img.item-thumb');
        await first.waitFor();
        expect(await first.getAttribute('alt')).toBe('');
        expect(await first.getAttribute('loading')).toBe('lazy');
        // http on the fixture server: the media proxy serves it, same-origin.
        const src = new URL((await first.getAttribute('src')) ?? '', app.origin);
        expect(src.origin).toBe(app.origin);
        expect(src.pathname).toMatch(/^\/api\/media\//u);
        await expect
          .poll(() => first.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth))
          .toBe(96);
        expect(await first.boundingBox()).toMatchObject({ width: 64, height: 64 });
        expect(await itemRows(page).nth(1).locator('img').count()).toBe(0);
        expect(await itemRows(page).nth(3).locator('img.item-thumb').count()).toBe(1);
        expect(watch.cspViolations()).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('loads the next page when the end scrolls into view, keeping the scroll position and the selection', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext(DESKTOP);
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-infinite-scroll', async () => {
        await readerWithFeed(page);
        expect(await itemRows(page).count()).toBe(50);
        const selected = await openItemRow(page, itemRows(page).nth(2));

        // To the end of the first page: the next one loads below, and nothing on screen moves.
        const row40 = await rowTop(page, 40);
        const bottom = await scrollListToEnd(page);
        await itemRows(page).nth(99).waitFor();
        expect(await listScrollTop(page)).toBe(bottom);
        expect(await rowTop(page, 40)).toBe(row40);
        await expect(page.locator('.pane-items [aria-current="true"] .item-title').innerText()).resolves.toBe(selected);

        await scrollListToEnd(page);
        await page.locator('.pane-items .list-end-text', { hasText: `${String(ITEM_COUNT)} items` }).waitFor();
        expect(await itemRows(page).count()).toBe(ITEM_COUNT);

        // j/k still walk the list from the open item.
        await scrollListTo(page, 0);
        await page.keyboard.press('j');
        await page.locator('#article-title', { hasText: 'Comfort item 004' }).waitFor();
        await page.keyboard.press('k');
        await page.locator('#article-title', { hasText: selected }).waitFor();

        // Mark-as-read on scroll is off by default: only the two opened items are read.
        expect((await readIds(context)).length).toBe(2);
        expect(unexpectedErrors(watch)).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('marks as read exactly the items seen and scrolled past the top, in batches, when turned on', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext(DESKTOP);
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'comfort-read-on-scroll', async () => {
        await readerWithFeed(page);
        const dialog = await openReadingSettings(page);
        const saved = page.waitForResponse((response) => response.url().endsWith('/api/preferences'));
        await dialog.getByRole('checkbox', { name: 'Mark items as read as I scroll past them' }).check();
        await saved;
        await dialog.getByRole('button', { name: 'Close' }).click();
        await settle(page);

        const batches: string[][] = [];
        page.on('request', (request) => {
          if (request.url().endsWith('/api/items/read')) {
            batches.push((JSON.parse(request.postData() ?? '{}') as { ids: string[] }).ids);
          }
        });

        // One jump from the top to row 30: the rows on screen before it were seen; rows
        // 8–29 or so flew by unseen and stay unread.
        const seenFirst = await rowsSeen(page);
        expect(seenFirst.length).toBeGreaterThan(3);
        await scrollListTo(page, await rowTop(page, 30));
        await settle(page);
        await expect.poll(async () => (await readIds(context)).length).toBe(seenFirst.length);
        expect((await readIds(context)).sort()).toEqual([...seenFirst].sort());
        expect(batches).toEqual([seenFirst]);
        // The rows show it too.
        expect(await page.locator(`.pane-items li[data-item-id="${seenFirst[0] ?? ''}"] .item-read`).count()).toBe(1);

        // Now slowly, a few pixels at a time, past rows 30 to 33: each was on screen first.
        const seenSecond = await rowsSeen(page);
        const ids = await page.evaluate<string[]>(
          `[...${LIST_BODY}.querySelectorAll('[data-item-id]')].map((row) => row.dataset.itemId)`,
        );
        const passed = ids.slice(30, 34);
        expect(seenSecond).toEqual(expect.arrayContaining(passed));
        await slowlyScrollPast(page, 33);
        const expected = [...seenFirst, ...passed].sort();
        await expect.poll(async () => (await readIds(context)).length).toBe(expected.length);
        expect((await readIds(context)).sort()).toEqual(expected);
        expect(batches.flat().sort()).toEqual(expected);

        // A jump to the end of the page, which loads the next one: the rows watched afresh
        // include the unseen ones above (8–29), which must stay unread. Then one more row
        // slowly past the top, so that everything sent after the new page is in.
        const seenBeforeEnd = await rowsSeen(page);
        await scrollListToEnd(page);
        await itemRows(page).nth(99).waitFor();
        await settle(page);
        const [firstAtEnd = ''] = await rowsSeen(page);
        const allIds = await page.evaluate<string[]>(
          `[...${LIST_BODY}.querySelectorAll('[data-item-id]')].map((row) => row.dataset.itemId)`,
        );
        await slowlyScrollPast(page, allIds.indexOf(firstAtEnd));
        const atLast = [...expected, ...seenBeforeEnd, firstAtEnd].sort();
        await expect.poll(async () => (await readIds(context)).length).toBe(atLast.length);
        expect((await readIds(context)).sort()).toEqual(atLast);
        expect(unexpectedErrors(watch)).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});

const WIDTHS = [
  { device: '1280', viewport: { width: 1280, height: 800 }, isMobile: false },
  { device: '375', viewport: { width: 375, height: 812 }, isMobile: true },
] as const;

describe.each(WIDTHS)('screens at $device px', ({ device, viewport, isMobile }) => {
  it('in light and dark: sign-in, the reader, an article, the dialogs, the account page', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({
      viewport,
      isMobile,
      hasTouch: isMobile,
      locale: 'en-US',
      timezoneId: 'UTC',
      reducedMotion: 'reduce',
      colorScheme: 'light',
    });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, `comfort-screens-${device}`, async () => {
        const shot = screenshotter(page, device);
        /** A long page, a screen at a time: "<step>-<n>-<device>.png" (one tall image is unreadable). */
        const wholePage = async (step: string) => {
          const height = await page.evaluate<number>('document.documentElement.scrollHeight');
          for (let top = 0, n = 1; top < height; top += viewport.height, n += 1) {
            await page.screenshot({
              path: join(SCREENS_DIR, 'comfort', `${step}-${String(n)}-${device}.png`),
              fullPage: true,
              clip: { x: 0, y: top, width: viewport.width, height: Math.min(viewport.height, height - top) },
              animations: 'disabled',
              caret: 'hide',
            });
          }
        };
        // Signed out, the theme is the system's.
        await page.emulateMedia({ colorScheme: 'dark' });
        await openSignInPage(page, app.origin);
        await shot('comfort/dark-00-sign-in');
        await page.emulateMedia({ colorScheme: 'light' });
        await shot('comfort/light-00-sign-in');

        await readerWithFeed(page);
        await page.locator('.pane-items img.item-thumb').first().waitFor();
        for (const theme of ['Light', 'Dark'] as const) {
          const name = theme.toLowerCase();
          const dialog = await openReadingSettings(page);
          await choose(page, dialog, theme);
          await shot(`comfort/${name}-01-settings`);
          await dialog.getByRole('button', { name: 'Close' }).click();
          await shot(`comfort/${name}-02-list`);
          await page.getByRole('button', { name: 'Feed settings' }).click();
          const feedDialog = page.getByRole('dialog', { name: 'Feed settings' });
          await feedDialog.waitFor();
          await shot(`comfort/${name}-03-feed-settings`);
          await feedDialog.getByRole('button', { name: 'Close' }).click();
          await openItemRow(page, itemRows(page).nth(theme === 'Light' ? 0 : 1));
          await shot(`comfort/${name}-04-article`);
          await backToFeeds(page);
          const subscribe = await openSubscribeDialog(page);
          await subscribe.locator('.catalogue-card').first().waitFor();
          await shot(`comfort/${name}-05-subscribe`);
          await subscribe.getByRole('button', { name: 'Close' }).click();
          await page.goto(`${app.origin}/account`);
          await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
          await wholePage(`${name}-06-account`);
          await page.goto(`${app.origin}/`);
          await navItem(page, FEED_TITLE).click();
          await itemRows(page).first().waitFor();
        }
        expect(watch.cspViolations()).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 180_000);
});
