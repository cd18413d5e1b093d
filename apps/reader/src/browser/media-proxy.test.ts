import type { Browser, Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { redirectTo, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { serveBytes, solidPng, SVG_WITH_SCRIPT } from '../test-support/media-fixtures.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import {
  articlePane,
  itemRows,
  newAccount,
  openItemRow,
  signUp,
  subscribeByAddress,
  waitForRows,
} from './reader-ui.js';
import { watchPage } from './page-watch.js';
import { explainFailure } from './screens.js';

// An http:// image from a feed, in Chromium, in the reader's default media proxy mode
// (http-only). The page's CSP allows images from 'self' and https: only, so without the
// proxy this image is a broken icon (it used to be asked for over https, which an http-only
// host does not answer). Through the proxy it renders, and the publisher sees the reader's
// server, not the user: no Referer, no cookie, not the user's browser.

const PHOTO = solidPng(48, 32, [30, 120, 200]);
const FLAG = '__mediaRan';

let browser: Browser;
let images: FixtureFeedServer;
let internal: FixtureFeedServer;
let app: BrowserReaderServer;
const started = closeAfterAll();

beforeAll(async () => {
  images = started(await startFixtureFeedServer());
  internal = started(await startFixtureFeedServer());
  internal.route('/secret.png', serveBytes(solidPng(8, 8), 'image/png'));
  images.route('/photo.png', serveBytes(PHOTO, 'image/png'));
  images.route('/script.svg', serveBytes(SVG_WITH_SCRIPT, 'image/svg+xml'));
  images.route('/to-internal.png', redirectTo(internal.url('/secret.png')));
  images.route(
    '/pictures.xml',
    serveBytes(
      `<rss version="2.0"><channel><title>Pictures over http</title><link>${images.url('/')}</link>
        <item><guid>pictures-1</guid><title>A photo over plain http</title><link>${images.url('/posts/1')}</link>
          <description><![CDATA[<p>Caption above.</p><img src="${images.url('/photo.png')}" alt="the photo" width="48" height="32">
          <img src="${images.url('/script.svg')}" alt="an svg with script"><img src="${images.url('/to-internal.png')}" alt="a redirect inside"><p>Sentinel photo</p>]]></description>
        </item></channel></rss>`,
      'application/rss+xml',
    ),
  );
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [images.host] }));
  browser = started(await launchChromium());
}, 90_000);

/** What the browser made of an image: its size once decoded (0 when it failed), and its src. */
async function loaded(image: Locator): Promise<{ naturalWidth: number; complete: boolean; src: string }> {
  return image.evaluate((element) => {
    const img = element as unknown as { naturalWidth: number; complete: boolean; src: string };
    return { naturalWidth: img.naturalWidth, complete: img.complete, src: img.src };
  });
}

describe('article images through the media proxy, in Chromium', () => {
  it('renders an http:// image from a feed, and the publisher sees no Referer, cookie or browser', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'media-proxy', async () => {
        await signUp(page, app.origin, newAccount('Pictures'));
        await subscribeByAddress(page, images.url('/pictures.xml'));
        await waitForRows(page, 1);
        await openItemRow(page, itemRows(page).first());
        const content = articlePane(page).locator('.article-content');
        await content.getByText('Sentinel photo').waitFor();

        const photo = content.locator('img[alt="the photo"]');
        await expect.poll(async () => (await loaded(photo)).naturalWidth, { timeout: 15_000 }).toBe(48);
        const { src } = await loaded(photo);
        expect(src.startsWith(`${app.origin}/api/media/`)).toBe(true);

        // The publisher was asked once, by the server: none of the user's request came along.
        const asked = images.requests('/photo.png');
        expect(asked).toHaveLength(1);
        expect(asked[0]?.referer).toBeUndefined();
        expect(asked[0]?.cookie).toBeUndefined();
        expect(asked[0]?.['user-agent']).not.toMatch(/Chrome|Mozilla/u);
        // …and the browser never went there itself.
        expect(watch.requests.filter((url) => url.startsWith(images.origin))).toEqual([]);
        const jar = await context.cookies(app.origin);
        expect(jar.some((cookie) => cookie.name === app.cookieNames.session)).toBe(true);

        // The hostile ones: refused by the proxy, so they stay empty boxes, and nothing ran.
        for (const alt of ['an svg with script', 'a redirect inside']) {
          const image = content.locator(`img[alt="${alt}"]`);
          await expect.poll(async () => (await loaded(image)).complete, { timeout: 15_000 }).toBe(true);
          expect((await loaded(image)).naturalWidth, alt).toBe(0);
        }
        expect(internal.requests('/secret.png')).toEqual([]);
        expect(await page.evaluate((flag) => String((globalThis as Record<string, unknown>)[flag]), FLAG)).toBe(
          'undefined',
        );
        expect(watch.dialogs).toEqual([]);
        expect(watch.cspViolations()).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows the same image broken when the browser is sent to the http URL itself (control: the CSP refuses it)', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await signUp(page, app.origin, newAccount('Control'));
      const before = images.requests('/photo.png').length;
      const naturalWidth = await page.evaluate(async (url) => {
        const { document } = globalThis as unknown as {
          document: { createElement(tag: 'img'): { src: string; naturalWidth: number; decode(): Promise<void> } };
        };
        const img = document.createElement('img');
        img.src = url;
        await img.decode().catch(() => undefined);
        return img.naturalWidth;
      }, images.url('/photo.png'));
      expect(naturalWidth).toBe(0);
      expect(images.requests('/photo.png').length).toBe(before);
      await expect.poll(() => watch.cspViolations().length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
