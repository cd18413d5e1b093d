import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { GreaderTestClient } from '../sync/greader/greader-test-client.js';
import { createAppPassword, feverKey } from '../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { serveBytes, solidPng } from '../test-support/media-fixtures.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

// Reader apps render the same article HTML as the web app, so they get the media proxy too
// (as Miniflux's API does): absolute URLs on the public origin, which load without any
// credential (an app's image loader sends none), in every sync dialect.

const PHOTO = solidPng(12, 12);
let images: FixtureFeedServer;
let app: ReaderTestServer;

beforeAll(async () => {
  images = await startFixtureFeedServer();
  images.route('/photo.png', serveBytes(PHOTO, 'image/png'));
  images.route(
    '/feed.xml',
    serveBytes(
      `<rss version="2.0"><channel><title>Pictures</title><item><guid>p1</guid><title>With a picture</title>
        <description><![CDATA[<p>Look</p><img src="${images.url('/photo.png')}" alt="photo"><img src="https://cdn.example/x.png" alt="tls">]]></description>
      </item></channel></rss>`,
      'application/rss+xml',
    ),
  );
  app = await startReaderTestServer({ fetchPolicy: { allowHosts: [images.host], timeoutMs: 2000 }, media: {} });
});

afterAll(async () => {
  await app.close();
  await images.close();
});

async function syncUser() {
  const browser = new TestBrowser(app.origin);
  const email = uniqueEmail('media-sync');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const subscribed = await browser.request('POST', '/api/subscriptions', { json: { url: images.url('/feed.xml') } });
  expect(subscribed.status).toBe(201);
  return { email, appPassword: await createAppPassword(browser) };
}

/** The one proxied image URL in some HTML (entity-escaped or not), which must load with no credential. */
async function expectProxiedImage(html: string): Promise<void> {
  const urls = [...html.matchAll(/src="([^"]+)"/gu)].map((match) => match[1] ?? '');
  const proxied = urls.filter((url) => url.startsWith(`${app.origin}/api/media/`));
  expect(proxied).toHaveLength(1);
  expect(urls).toContain('https://cdn.example/x.png');
  expect(html).not.toContain(images.url('/photo.png'));
  const response = await fetch(proxied[0] ?? '');
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer()).equals(PHOTO)).toBe(true);
}

describe('images in the sync APIs', () => {
  it('Google Reader JSON and Atom streams point http images at the proxy, absolute', async () => {
    const { email, appPassword } = await syncUser();
    const client = await GreaderTestClient.login(`${app.origin}/api/greader`, email, appPassword.password);
    const page = await client.getJson<{ items: { summary: { content: string } }[] }>(
      '/reader/api/0/stream/contents/user/-/state/com.google/reading-list',
    );
    await expectProxiedImage(page.items[0]?.summary.content ?? '');
    const atom = await (await client.get('/reader/atom/user/-/state/com.google/reading-list')).text();
    const content = /<content type="html">([\s\S]*?)<\/content>/u.exec(atom)?.[1] ?? '';
    await expectProxiedImage(
      content.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'),
    );
  });

  it('Fever items point http images at the proxy, absolute', async () => {
    const { appPassword } = await syncUser();
    const response = await fetch(`${app.origin}/api/fever/?api&items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `api_key=${feverKey(appPassword.feverLogin, appPassword.password)}`,
    });
    const body = (await response.json()) as { items: { html: string }[] };
    await expectProxiedImage(body.items[0]?.html ?? '');
  });
});
