import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { redirectTo, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import {
  drippingImage,
  endlessImage,
  HTML_WITH_SCRIPT,
  serveBytes,
  solidPng,
  SVG_WITH_SCRIPT,
  type StreamMeter,
} from '../test-support/media-fixtures.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { MediaUrlSigner } from './media-url-signer.js';

// The media proxy, attacked through the API: a user who writes a feed chooses every image
// URL the server signs, so each refusal here must hold for a URL this server signed itself.
// `images` is the publisher (allow-listed, as a loopback fixture must be); `internal` is a
// service on the same loopback interface that is NOT allow-listed, holding a secret image:
// it must never see a request, which proves the refusal is the guard's, not a dead port's.

const CAP_BYTES = 256 * 1024;
const PHOTO = solidPng(40, 30);
const SECRET = solidPng(8, 8, [0, 0, 0]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

let images: FixtureFeedServer;
let internal: FixtureFeedServer;
let app: ReaderTestServer;
const hugeStream: StreamMeter = { bytesSent: 0, closed: false };
const declaredHuge: StreamMeter = { bytesSent: 0, closed: false };
const drip: StreamMeter = { bytesSent: 0, closed: false };

function imageFeed(): string {
  const item = (guid: string, html: string) =>
    `<item><guid>${guid}</guid><title>${guid}</title><link>${images.url(`/posts/${guid}`)}</link><description><![CDATA[${html}]]></description></item>`;
  return `<rss version="2.0"><channel><title>Images</title><link>${images.url('/')}</link>
    ${item('photo', `<p>An http image</p><img src="${images.url('/photo.png')}" alt="photo"><img src="https://cdn.example/a.png" alt="https">`)}
    ${item('relative', '<img src="/photo.png" alt="relative">')}
  </channel></rss>`;
}

beforeAll(async () => {
  images = await startFixtureFeedServer();
  internal = await startFixtureFeedServer();
  internal.route('/secret.png', serveBytes(SECRET, 'image/png'));
  images.route('/images.xml', serveBytes(imageFeed(), 'application/rss+xml'));
  for (const name of ['photo.png', 'cached.png', 'again.png', 'headers.png'])
    images.route(`/${name}`, serveBytes(PHOTO, 'image/png'));
  images.route('/photo-as-octets', serveBytes(PHOTO, 'application/octet-stream'));
  images.route('/photo.jpg', serveBytes(JPEG, 'image/jpeg'));
  images.route('/script.svg', serveBytes(SVG_WITH_SCRIPT, 'image/svg+xml'));
  images.route('/svg-as-png.png', serveBytes(SVG_WITH_SCRIPT, 'image/png'));
  images.route('/page.html', serveBytes(HTML_WITH_SCRIPT, 'text/html'));
  images.route('/html-as-png.png', serveBytes(HTML_WITH_SCRIPT, 'image/png'));
  images.route('/png-as-html', serveBytes(PHOTO, 'text/html'));
  images.route('/huge.png', endlessImage(hugeStream));
  images.route('/declared-2gb.png', endlessImage(declaredHuge, 2 * 1024 * 1024 * 1024));
  images.route('/drip.png', drippingImage(PHOTO, drip, 50));
  const bomb = gzipSync(Buffer.concat([PHOTO.subarray(0, 8), Buffer.alloc(20 * 1024 * 1024)]));
  images.route('/gzip-bomb.png', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': 'gzip' }).end(bomb);
  });
  images.route('/to-photo', redirectTo('/photo.png'));
  images.route('/to-internal', redirectTo(internal.url('/secret.png')));
  images.route('/to-localhost', redirectTo(`http://localhost:${new URL(internal.origin).port}/secret.png`));
  images.route('/to-metadata', redirectTo('http://169.254.169.254/latest/meta-data/'));
  images.route('/to-private', redirectTo('http://10.0.0.1/secret.png'));
  app = await startReaderTestServer({
    fetchPolicy: { allowHosts: [images.host], timeoutMs: 2000 },
    media: { mode: 'http-only', fetchPolicy: { timeoutMs: 1500, maxBytes: CAP_BYTES } },
  });
});

afterAll(async () => {
  await app.close();
  await Promise.all([images.close(), internal.close()]);
});

const cacheDirectory = () => join(dirname(app.databaseFile), 'media-cache');
const cachedFiles = () => readdirSync(cacheDirectory()).sort();

/** The path of the proxied URL the server gives the web app for `url` (what a feed's author gets it to sign). */
function proxied(url: string): string {
  const given = app.reader.mediaUrls.forBrowser(url);
  if (given?.startsWith(`${app.origin}/api/media/`) !== true)
    throw new Error(`${url} is not proxied: ${String(given)}`);
  return given.slice(app.origin.length);
}

/** A client with no cookie at all: what a sync app, or anyone who has the URL, is. */
function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${app.origin}${path}`, { headers, redirect: 'manual' });
}

async function signUp(): Promise<TestBrowser> {
  const browser = new TestBrowser(app.origin);
  expect((await browser.signup(uniqueEmail('media'), GOOD_PASSWORD)).status).toBe(201);
  return browser;
}

/** The article HTML the web app gets for the item with this guid. */
async function articleHtml(browser: TestBrowser, title: string): Promise<string> {
  const { items } = (await (await browser.request('GET', '/api/items')).json()) as {
    items: { id: string; title: string }[];
  };
  const id = items.find((item) => item.title === title)?.id ?? '';
  const { item } = (await (await browser.request('GET', `/api/items/${id}`)).json()) as {
    item: { contentHtml: string };
  };
  return item.contentHtml;
}

function srcOf(html: string, alt: string): string {
  const tag = [...html.matchAll(/<img [^>]*>/gu)].map((match) => match[0]).find((img) => img.includes(`alt="${alt}"`));
  return /src="([^"]*)"/u.exec(tag ?? '')?.[1]?.replaceAll('&amp;', '&') ?? '';
}

/** Every refusal upstream has one answer: which one it was would map the server's network. */
async function expectNotLoaded(path: string): Promise<void> {
  const response = await get(path);
  expect(response.status, path).toBe(404);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.json()).toMatchObject({ code: 'not_found', detail: 'The image could not be loaded.' });
}

describe('the media proxy serves feed images', () => {
  it('points an http image of an article at a signed same-origin URL and serves it with strict headers', async () => {
    const browser = await signUp();
    expect(
      (await browser.request('POST', '/api/subscriptions', { json: { url: images.url('/images.xml') } })).status,
    ).toBe(201);
    const html = await articleHtml(browser, 'photo');
    const src = srcOf(html, 'photo');
    // Absolute on the public origin, as every URL the sanitizer lets out is; same-origin for the page.
    expect(src.startsWith(app.origin)).toBe(true);
    expect(src.slice(app.origin.length)).toMatch(/^\/api\/media\/[A-Za-z0-9_-]{43}\/[A-Za-z0-9_-]+$/u);
    expect(html).not.toContain(images.url('/photo.png'));
    // Stored as the feed gave it: the proxying is decided when served, so a change of mode
    // applies to this item too.
    const stored = await app.reader.db
      .selectFrom('items')
      .select('content_html')
      .where('title', '=', 'photo')
      .execute();
    expect(stored.map((row) => row.content_html).join('')).toContain(`src="${images.url('/photo.png')}"`);
    // http-only: an https image is left to the browser (the CSP allows https: images).
    expect(srcOf(html, 'https')).toBe('https://cdn.example/a.png');
    // A relative image of the publisher's resolves against the item, then is proxied too.
    expect(srcOf(await articleHtml(browser, 'relative'), 'relative')).toBe(src);

    const response = await browser.request('GET', src.slice(app.origin.length));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(PHOTO.length));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('private, max-age=2592000, immutable');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it("loads another user's signed URL, and one asked for with no session at all", async () => {
    const path = proxied(images.url('/photo.png'));
    const other = await signUp();
    expect((await other.request('GET', path)).status).toBe(200);
    const anonymous = await get(path);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('set-cookie')).toBeNull();
  });

  it("tells the publisher nothing of the reader: no cookie, no Referer, not the user's agent or address", async () => {
    const browser = await signUp();
    const response = await browser.request('GET', proxied(images.url('/headers.png')), {
      headers: { Referer: `${app.origin}/items/secret-article`, 'User-Agent': 'UsersOwnBrowser/9.9' },
    });
    expect(response.status).toBe(200);
    const [seen] = images.requests('/headers.png');
    expect(seen).toBeDefined();
    expect(seen?.cookie).toBeUndefined();
    expect(seen?.referer).toBeUndefined();
    expect(seen?.['x-forwarded-for']).toBeUndefined();
    expect(seen?.['user-agent']).toMatch(/^GatehouseReader\/\S+ \(.*media proxy\)$/u);
    expect(seen?.accept).toMatch(/^image\//u);
  });

  it('keeps the image on disk and answers the next request from there without fetching again', async () => {
    const path = proxied(images.url('/cached.png'));
    expect((await get(path)).status).toBe(200);
    expect(images.requests('/cached.png')).toHaveLength(1);
    const onDisk = cachedFiles().filter((name) => name.endsWith('.png'));
    expect(onDisk.some((name) => readFileSync(join(cacheDirectory(), name)).equals(PHOTO))).toBe(true);

    const again = await get(path);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await again.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect(images.requests('/cached.png')).toHaveLength(1);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${app.origin}${proxied(images.url('/cached.png'))}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers many requests for one image in flight with one fetch', async () => {
    const path = proxied(images.url('/again.png'));
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(path)));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(images.requests('/again.png')).toHaveLength(1);
  });

  it('judges an image by its bytes: octet-stream served as PNG, JPEG as JPEG, and follows a public redirect', async () => {
    const octets = await get(proxied(images.url('/photo-as-octets')));
    expect(octets.status).toBe(200);
    expect(octets.headers.get('content-type')).toBe('image/png');
    const jpeg = await get(proxied(images.url('/photo.jpg')));
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect((await get(proxied(images.url('/to-photo')))).status).toBe(200);
  });
});

describe('the disk cache bound', () => {
  it('evicts the least recently used image once the bound is passed, and fetches it again when asked', async () => {
    const small = await startReaderTestServer({
      fetchPolicy: { allowHosts: [images.host], timeoutMs: 2000 },
      media: { cacheMaxBytes: Math.floor(PHOTO.length * 2.5) },
    });
    try {
      for (const name of ['lru-a', 'lru-b', 'lru-c']) images.route(`/${name}.png`, serveBytes(PHOTO, 'image/png'));
      const load = async (name: string) => {
        const url = small.reader.mediaUrls.forBrowser(images.url(`/${name}.png`)) ?? '';
        expect((await fetch(url)).status).toBe(200);
        return images.requests(`/${name}.png`).length;
      };
      expect(await load('lru-a')).toBe(1);
      expect(await load('lru-b')).toBe(1);
      expect(await load('lru-a')).toBe(1); // from the cache; b is now the least recently used
      expect(await load('lru-c')).toBe(1); // over the bound: b goes
      expect(readdirSync(join(dirname(small.databaseFile), 'media-cache'))).toHaveLength(2);
      expect(await load('lru-a')).toBe(1);
      expect(await load('lru-b')).toBe(2);
    } finally {
      await small.close();
    }
  });
});

describe('URLs the server did not sign', () => {
  const target = () => images.url('/photo.png');
  const encoded = (url: string) => Buffer.from(url).toString('base64url');

  it('refuses an unsigned URL, a forged MAC, a MAC of another secret and a MAC moved to another URL, fetching nothing', async () => {
    const before = images.requests('/photo.png').length;
    const valid = proxied(target());
    const [, , , signature = '', encodedUrl = ''] = valid.split('/');
    const otherKey = new MediaUrlSigner('not-the-server-secret-not-the-server-secret').sign(
      internal.url('/secret.png'),
    );
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const attempts = {
      unsigned: `/api/media/${encodedUrl}`,
      'empty MAC': `/api/media//${encodedUrl}`,
      'MAC of zeros': `/api/media/${Buffer.alloc(32).toString('base64url')}/${encodedUrl}`,
      'MAC of another secret': `/api/media/${otherKey.signature}/${otherKey.encodedUrl}`,
      'one character of the MAC changed': `/api/media/${flipped}/${encodedUrl}`,
      "the photo's MAC on the secret image's URL": `/api/media/${signature}/${encoded(internal.url('/secret.png'))}`,
      'a MAC cut short': `/api/media/${signature.slice(0, 22)}/${encodedUrl}`,
      'the URL with a stray character': `/api/media/${signature}/${encodedUrl}=`,
      'the URL in a non-canonical encoding': `/api/media/${signature}/${encodedUrl.slice(0, -1)}${encodedUrl.endsWith('A') ? 'B' : 'A'}`,
    };
    for (const [attempt, path] of Object.entries(attempts)) {
      const response = await get(path);
      expect([403, 404], attempt).toContain(response.status);
      expect(response.headers.get('content-type'), attempt).toContain('application/problem+json');
    }
    const forged = await get(attempts["the photo's MAC on the secret image's URL"]);
    expect(await forged.json()).toMatchObject({ code: 'forbidden' });
    expect(images.requests('/photo.png').length).toBe(before);
    expect(internal.requests('/secret.png')).toEqual([]);
    // The control: the untouched URL loads.
    expect((await get(valid)).status).toBe(200);
  });
});

describe('targets behind the server, even signed', () => {
  it('refuses loopback, private, link-local and non-http targets without connecting to them', async () => {
    const port = new URL(internal.origin).port;
    const targets = [
      internal.url('/secret.png'), // a live loopback service on a port not allow-listed
      `http://localhost:${port}/secret.png`,
      `http://app.localhost:${port}/secret.png`,
      `http://[::1]:${port}/secret.png`,
      `http://0.0.0.0:${port}/secret.png`,
      `http://[::ffff:127.0.0.1]:${port}/secret.png`,
      'http://10.0.0.1/secret.png',
      'http://192.168.1.1/secret.png',
      'http://172.16.0.1/secret.png',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://[fe80::1]/secret.png',
    ];
    for (const url of targets) await expectNotLoaded(proxied(url));
    // A feed author cannot get other schemes signed for the web app; signed anyway, they fail too.
    const signer = new MediaUrlSigner(app.gatehouse.config.secret);
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x.png', `http://user:pw@${images.host}/photo.png`]) {
      const { signature, encodedUrl } = signer.sign(url);
      await expectNotLoaded(`/api/media/${signature}/${encodedUrl}`);
    }
    expect(internal.requests('/secret.png')).toEqual([]);
  });

  it('refuses redirects to loopback, loopback names, private and link-local addresses', async () => {
    for (const path of ['/to-internal', '/to-localhost', '/to-private', '/to-metadata']) {
      await expectNotLoaded(proxied(images.url(path)));
    }
    expect(internal.requests('/secret.png')).toEqual([]);
  });
});

describe('what a publisher may send back', () => {
  it('cuts an endless image at the size cap, without reading on, and keeps nothing', async () => {
    const before = cachedFiles();
    await expectNotLoaded(proxied(images.url('/huge.png')));
    await expect.poll(() => hugeStream.closed).toBe(true);
    // The cap is 256 KiB; what was sent beyond it sat in socket buffers when the proxy hung up.
    expect(hugeStream.bytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(cachedFiles()).toEqual(before);
  });

  it('counts the size after decompression: a gzip bomb that looks like a PNG is cut at the cap', async () => {
    const before = cachedFiles();
    await expectNotLoaded(proxied(images.url('/gzip-bomb.png')));
    expect(images.requests('/gzip-bomb.png')).toHaveLength(1);
    expect(cachedFiles()).toEqual(before);
  });

  it('refuses an image that declares 2 GB before reading its body', async () => {
    const before = cachedFiles();
    await expectNotLoaded(proxied(images.url('/declared-2gb.png')));
    await expect.poll(() => declaredHuge.closed).toBe(true);
    expect(declaredHuge.bytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(cachedFiles()).toEqual(before);
  });

  it('refuses an SVG with script, declared as SVG or disguised as PNG, and an HTML page either way', async () => {
    const before = cachedFiles();
    for (const path of ['/script.svg', '/svg-as-png.png', '/page.html', '/html-as-png.png', '/png-as-html']) {
      await expectNotLoaded(proxied(images.url(path)));
    }
    expect(images.requests('/svg-as-png.png')).toHaveLength(1);
    expect(cachedFiles()).toEqual(before);
  });

  it('does not download a refused image again for each request (no amplifier against the publisher)', async () => {
    const path = proxied(images.url('/page.html'));
    const before = images.requests('/page.html').length;
    for (let attempt = 0; attempt < 3; attempt += 1) await expectNotLoaded(path);
    expect(images.requests('/page.html').length - before).toBeLessThanOrEqual(1);
  });

  it('cuts a slow drip at the time limit and keeps nothing', async () => {
    const before = cachedFiles();
    await expectNotLoaded(proxied(images.url('/drip.png')));
    await expect.poll(() => drip.closed).toBe(true);
    expect(drip.bytesSent).toBeLessThan(PHOTO.length);
    expect(cachedFiles()).toEqual(before);
  });
});
