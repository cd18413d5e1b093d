import { FetchError } from '../feeds/fetch-error.js';
import type { FetchPolicy } from '../feeds/fetch-policy.js';
import { FeedFetcher } from '../feeds/fetcher.js';
import { isRefusedDeclaredType, sniffRasterType, type RasterType } from './image-type.js';

/**
 * The image fetch's limits: tighter in time than a feed's (a reader waits for the picture),
 * roomier in size (photos and animated GIFs outgrow feed documents). The User-Agent names
 * the reader, never the reader's user: the user's own agent, cookies and Referer are not
 * forwarded, and the publisher sees only this server's address.
 */
export const DEFAULT_IMAGE_FETCH_POLICY: Omit<FetchPolicy, 'allowHosts'> = {
  timeoutMs: 10_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'GatehouseReader/0.1 (+https://github.com/gatehouse; media proxy)',
};

const ACCEPT_IMAGES = 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1';

export interface FetchedImage {
  type: RasterType;
  body: Uint8Array;
}

/** Why the proxy would not pass an image on; the message is for the operator's log. */
export class MediaRefusal extends Error {
  override readonly name = 'MediaRefusal';
}

/**
 * Fetches one image through the feed fetcher, that is through the same SSRF guard (scheme,
 * IP literals, the resolved address at connect time, every redirect, the allow-list by
 * host and port), one deadline for the whole exchange (a slow drip is cut), and a byte cap
 * counted as the body arrives (a 2 GB image is refused at the cap, never buffered). Then
 * only a real raster image passes (image-type.ts).
 */
export class ImageFetcher {
  readonly policy: FetchPolicy;
  private readonly fetcher: FeedFetcher;

  constructor(policy: Partial<FetchPolicy> = {}) {
    this.fetcher = new FeedFetcher({ ...DEFAULT_IMAGE_FETCH_POLICY, ...policy });
    this.policy = this.fetcher.policy;
  }

  async fetch(url: string): Promise<FetchedImage> {
    let result;
    try {
      result = await this.fetcher.fetch({ url, accept: ACCEPT_IMAGES });
    } catch (error) {
      const message = error instanceof FetchError ? `${error.kind}: ${error.message}` : 'fetch failed';
      throw new MediaRefusal(message, { cause: error });
    }
    // No validators were sent, so a 304 is a server misbehaving, not a cached copy.
    if (result.status !== 'ok') throw new MediaRefusal('not_modified without a conditional request');
    if (isRefusedDeclaredType(result.contentType)) {
      throw new MediaRefusal(`declared type ${result.contentType ?? ''} is not a raster image`);
    }
    const type = sniffRasterType(result.body);
    if (type === undefined) throw new MediaRefusal('the body is not a PNG, JPEG, GIF, WebP or AVIF image');
    return { type, body: result.body };
  }

  close(): Promise<void> {
    return this.fetcher.close();
  }
}
