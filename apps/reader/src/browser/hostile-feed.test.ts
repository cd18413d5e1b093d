import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startAttackerServer, type AttackerServer } from './attacker-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { launchChromium } from '../../../../test-support/chromium.js';
import { renderFixture, serveRendered } from './fixture-templates.js';
import { foreignScriptIn, liveMarkupIn } from './inert-markup.js';
import { watchPage } from './page-watch.js';
import { explainFailure } from './screens.js';
import {
  articlePane,
  itemRows,
  newAccount,
  openItemRow,
  signUp,
  subscribeByAddress,
  waitForRows,
} from './reader-ui.js';

// A feed written by an attacker, read by a signed-in user in Chromium. The sanitizer (on
// store and on serve) is the first line, the CSP the second; this proves, in a real browser,
// that together they leave nothing that runs, loads from the attacker, or navigates, and
// that the session cookie stays out of script's reach throughout.

const HOSTILE_ITEMS = 12;
/** The https attacker of the fixture: a host that never resolves, seen in the request log. */
const HTTPS_ATTACKER = 'attacker.invalid';
/** Set by every payload that runs; also the id a clobbering anchor would take. */
const RAN_FLAG = '__hostileRan';

let browser: Browser;
let attacker: AttackerServer;
let feeds: FixtureFeedServer;
let app: BrowserReaderServer;
let hostileFeed: string;
const started = closeAfterAll();

beforeAll(async () => {
  attacker = started(await startAttackerServer());
  feeds = started(await startFixtureFeedServer());
  hostileFeed = renderFixture('hostile-browser.xml', { ATTACKER: attacker.origin });
  feeds.route('/hostile-browser.xml', serveRendered(hostileFeed, 'application/rss+xml; charset=utf-8'));
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [feeds.host] }));
  browser = started(await launchChromium());
}, 90_000);

/** Whatever a payload leaves on window under the flag's name, as a string ('undefined' when nothing). */
function ranFlag(page: Page): Promise<string> {
  return page.evaluate((flag) => String((globalThis as Record<string, unknown>)[flag]), RAN_FLAG);
}

function documentCookie(page: Page): Promise<string> {
  return page.evaluate(() => String((globalThis as unknown as { document: { cookie: unknown } }).document.cookie));
}

/** Web storage and the signed-in user's own API answer: what else page script can read. */
function scriptReadableState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const { localStorage, sessionStorage, fetch } = globalThis as unknown as {
      localStorage: Record<string, string>;
      sessionStorage: Record<string, string>;
      fetch: (url: string) => Promise<{ text(): Promise<string> }>;
    };
    const me = await (await fetch('/api/auth/me')).text();
    return JSON.stringify({ localStorage: { ...localStorage }, sessionStorage: { ...sessionStorage }, me });
  });
}

function cookieNamesIn(header: string): string[] {
  return header
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name !== '');
}

function toAttacker(url: string): boolean {
  return url.startsWith(attacker.origin) || new URL(url, 'http://x').hostname.endsWith(HTTPS_ATTACKER);
}

/** Points at every element of the article, so onmouseover/onmouseenter payloads get their event. */
async function hoverEverything(page: Page): Promise<void> {
  const elements = articlePane(page).locator('.article-content *');
  for (let index = 0; index < (await elements.count()); index += 1) {
    const element = elements.nth(index);
    const box = await element.boundingBox();
    if (box !== null && box.width > 0 && box.height > 0) await element.hover({ force: true, timeout: 5_000 });
  }
}

/** Clicks the links the sanitizer disarmed (they had javascript: or data: addresses); returns how many. */
async function clickDisarmedLinks(page: Page): Promise<number> {
  const links = articlePane(page).locator('.article-content a', { hasText: /javascript|vbscript|data: html/u });
  const count = await links.count();
  for (let index = 0; index < count; index += 1) {
    await links.nth(index).click({ timeout: 15_000 });
  }
  return count;
}

describe('a hostile feed in Chromium', () => {
  it('shows every trick as inert markup: no script runs, nothing reaches the attacker, nothing navigates, and the session cookie stays unreadable', async () => {
    requireBuiltWebApp();
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'hostile-feed', async () => {
        const appDocument = page.waitForResponse((response) => response.url() === `${app.origin}/`);
        const victim = newAccount('Victim');
        await signUp(page, app.origin, victim);
        const csp = (await appDocument).headers()['content-security-policy'] ?? '';
        const jar = await context.cookies(app.origin);
        const session = jar.find((cookie) => cookie.name === app.cookieNames.session);
        expect(session?.httpOnly).toBe(true);
        expect(jar.find((cookie) => cookie.name === app.cookieNames.csrf)?.httpOnly).toBe(false);

        await subscribeByAddress(page, feeds.url('/hostile-browser.xml'));
        await waitForRows(page, HOSTILE_ITEMS);
        const pageUrl = page.url();
        const navigationsBefore = watch.navigations.length;
        const cookiesSeen: string[] = [];
        let disarmedLinksClicked = 0;

        const titles: string[] = [];
        for (let index = 0; index < HOSTILE_ITEMS; index += 1) {
          const title = await openItemRow(page, itemRows(page).nth(index));
          titles.push(title);
          // The content did render: the test reaches the sanitizer and the CSP, it doesn't pass on an empty pane.
          const sentinel = `Sentinel ${String(index + 1).padStart(2, '0')}`;
          await articlePane(page).locator('.article-content', { hasText: sentinel }).waitFor();
          await hoverEverything(page);
          disarmedLinksClicked += await clickDisarmedLinks(page);

          expect(await liveMarkupIn(page, '.article-content'), title).toEqual([]);
          expect(await foreignScriptIn(page, app.origin), title).toEqual([]);
          // Titles and authors are text: React put no element inside them.
          expect(await articlePane(page).locator('#article-title *:not(a)').count(), title).toBe(0);
          expect(await articlePane(page).locator('.article-author *').count(), title).toBe(0);
          expect(await ranFlag(page), title).toBe('undefined');
          cookiesSeen.push(await documentCookie(page));
        }
        expect(titles.map((title) => title.slice(0, 2))).toEqual(
          Array.from({ length: HOSTILE_ITEMS }, (_, index) => String(index + 1).padStart(2, '0')),
        );

        // Markup that was text in the feed shows as text, visibly.
        await openItemRow(page, itemRows(page).nth(11));
        await articlePane(page).getByText(`<script>window.${RAN_FLAG}='escaped-text'</script> is text`).waitFor();
        await openItemRow(page, itemRows(page).nth(1));
        const author = await articlePane(page).locator('.article-author').innerText();
        expect(author).toContain(`<img src=x onerror="window.${RAN_FLAG}='author'">Mallory`);
        // A payload on a timer (meta refresh, a lazy frame) has had every chance by now; give a last one.
        await page.waitForTimeout(1_000);

        expect(watch.dialogs).toEqual([]);
        expect(await ranFlag(page)).toBe('undefined');
        expect(attacker.hits).toEqual([]);
        expect(watch.requests.filter(toAttacker)).toEqual([]);
        // Only the app itself, and the feed's own host for the images it legitimately names (over https).
        const foreign = watch.requests.filter((url) => !url.startsWith(`${app.origin}/`));
        expect(foreign.filter((url) => !url.startsWith('https://hostile.example/'))).toEqual([]);
        expect(watch.navigations.slice(navigationsBefore)).toEqual([]);
        expect(page.url()).toBe(pageUrl);
        expect(
          await page.evaluate(() => (globalThis as unknown as { document: { baseURI: string } }).document.baseURI),
        ).toBe(pageUrl);
        // Items 03 and 04 hold six links with javascript:, vbscript: or data: addresses; clicked, they open nothing.
        expect(disarmedLinksClicked).toBe(6);
        expect(watch.popups).toEqual([]);

        // The credential: never in document.cookie; the CSRF cookie is the one cookie script can read.
        for (const seen of cookiesSeen) {
          expect(cookieNamesIn(seen)).toEqual([app.cookieNames.csrf]);
          expect(seen).not.toContain(session?.value ?? '(no session cookie)');
        }
        // Nor in web storage or in what the API tells the page about the user.
        const readable = await scriptReadableState(page);
        expect(readable, 'the page asked as the signed-in user').toContain(victim.email);
        expect(readable).not.toContain(session?.value ?? '(no session cookie)');
        // ...and it is still the live credential: the user was signed in the whole time.
        expect((await context.request.get(`${app.origin}/api/auth/me`)).status()).toBe(200);

        // The second line was there to stop what the first one missed, and had nothing to stop:
        // anything it refused (a script, a frame, a style, an image) would be the sanitizer's miss.
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("base-uri 'none'");
        expect(watch.cspViolations()).toEqual([]);
        console.info(`hostile feed: ${String(foreign.length)} image requests to the feed's own host, none elsewhere`);
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('runs its payloads where nothing sanitizes and no CSP applies (control: the listeners and checks do see them)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      // Items 01, 02 and 05, raw: script tags, event handlers, SVG script.
      const raw = [...hostileFeed.matchAll(/<description><!\[CDATA\[(.*?)\]\]><\/description>/gsu)].map(
        (match) => match[1] ?? '',
      );
      const payloads = [raw[0], raw[1], raw[4]].join('');
      attacker.page('/control', `<!doctype html><body><div class="article-content">${payloads}</div></body>`);
      const hitsBefore = attacker.hits.length;
      await page.goto(`${attacker.origin}/control`);
      await page.waitForFunction((flag) => (globalThis as Record<string, unknown>)[flag] !== undefined, RAN_FLAG);

      expect(await ranFlag(page)).not.toBe('undefined');
      expect(watch.dialogs.length).toBeGreaterThan(0);
      // The markup checks see live markup when there is some.
      const live = await liveMarkupIn(page, '.article-content');
      expect(live).toEqual(expect.arrayContaining(['<script>', '<img onerror>', '<div onmouseover>', '<svg>']));
      expect((await foreignScriptIn(page, attacker.origin)).length).toBeGreaterThan(0);
      await expect.poll(() => attacker.hits.length).toBeGreaterThan(hitsBefore);
    } finally {
      await context.close();
    }
  }, 60_000);
});
