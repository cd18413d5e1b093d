import { Readable } from 'node:stream';
import { GatehouseError } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { MediaRefusal } from './image-fetcher.js';
import type { MediaProxy } from './media-proxy.js';

/**
 * What a proxied image is answered with, whatever it turns out to hold. The type is the one
 * sniffed (nosniff: the browser must not guess another), and opened as a page it can run
 * nothing and load nothing (CSP sandbox). It never changes at its URL, which is signed, so
 * the browser may keep it; `private` keeps shared caches out of it. No Referer leaves from it.
 */
const IMAGE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cache-Control': 'private, max-age=2592000, immutable',
  'Referrer-Policy': 'no-referrer',
};

/** One answer for every failure upstream: which one it was would map the server's network. */
const NOT_LOADED = 'The image could not be loaded.';

/**
 * GET /api/media/:signature/:encodedUrl. No session is asked for: the signed URL is the
 * capability (decision 0020), so sync apps, which send no cookie with an image request,
 * load it too. A URL this server did not sign is refused before anything is fetched.
 */
export function mediaRoutes(proxy: MediaProxy): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  routes.get('/:signature/:encodedUrl', async (c) => {
    const url = proxy.verify({ signature: c.req.param('signature'), encodedUrl: c.req.param('encodedUrl') });
    if (url === undefined) throw new GatehouseError('forbidden', 'This media URL was not signed by this reader.');
    let image;
    try {
      image = await proxy.load(url);
    } catch (error) {
      if (error instanceof MediaRefusal) throw new GatehouseError('not_found', NOT_LOADED);
      throw error;
    }
    for (const [name, value] of Object.entries(IMAGE_HEADERS)) c.header(name, value);
    c.header('Content-Type', image.type.mediaType);
    c.header('Content-Length', String(image.size));
    if (c.req.method === 'HEAD') {
      await image.file?.close();
      return c.body(null);
    }
    if (image.file === undefined) return c.body(new Uint8Array(image.body));
    // The file closes itself when the stream ends or the client goes away.
    return c.body(Readable.toWeb(image.file.createReadStream()) as ReadableStream<Uint8Array>);
  });
  return routes;
}
