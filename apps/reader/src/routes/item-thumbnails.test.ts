import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, serveFile, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/images-rss.xml', serveFile('images-rss.xml', 'application/rss+xml'));
  fixtures.route('/images.json', serveFile('images.json', 'application/feed+json'));
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host] } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

/** Each item's imageUrl, by its `key` (title or url), once a new user subscribed to `path`. */
async function itemsAfterSubscribing(path: string, key: 'title' | 'url'): Promise<Record<string, string | null>> {
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('thumbs'), GOOD_PASSWORD)).status).toBe(201);
  const subscribed = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url(path) } });
  expect(subscribed.status).toBe(201);
  const page = (await (await browser.request('GET', '/api/items')).json()) as {
    items: { title: string; url: string; imageUrl: string | null }[];
  };
  return Object.fromEntries(page.items.map((item) => [item[key], item.imageUrl]));
}

describe('items carry their thumbnail from ingest to the item API', () => {
  it('RSS: each source kind, served under the media proxy mode (off here: http asked for over https)', async () => {
    expect(await itemsAfterSubscribing('/images-rss.xml', 'title')).toEqual({
      'media thumbnail': 'https://cdn.pics.example/thumb.jpg',
      'media content image': 'https://cdn.pics.example/photo.png',
      // Stored as http; the proxy being off, the browser is told https (the CSP allows https: images).
      'image enclosure': 'https://cdn.pics.example/cover.webp',
      'first image of the content': 'https://pics.example/images/first.jpg?a=1&b=2',
      'relative thumbnail': `${fixtures.origin.replace('http:', 'https:')}/thumbs/relative.jpg`,
      'refused schemes': 'https://cdn.pics.example/safe.jpg',
      'no picture at all': null,
    });
  });

  it('JSON Feed', async () => {
    expect(await itemsAfterSubscribing('/images.json', 'url')).toEqual({
      'https://json-pics.example/posts/1': 'https://json-pics.example/main.jpg',
      'https://json-pics.example/posts/2': 'https://json-pics.example/banner.jpg',
      'https://json-pics.example/posts/3': 'https://json-pics.example/cover.gif',
      'https://json-pics.example/posts/4': 'https://json-pics.example/posts/pictures/inline.jpg',
    });
  });
});
