import type { FileHandle } from 'node:fs/promises';
import type { FetchPolicy } from '../feeds/fetch-policy.js';
import type { ReaderLog } from '../service/log.js';
import { FetchSlots } from './fetch-slots.js';
import { ImageFetcher, MediaRefusal, type FetchedImage } from './image-fetcher.js';
import type { RasterType } from './image-type.js';
import { MediaCache } from './media-cache.js';
import type { MediaProxyMode } from './media-settings.js';
import { MediaUrlSigner, type SignedMediaPath } from './media-url-signer.js';
import { MediaUrls } from './media-urls.js';
import { RecentFailures } from './recent-failures.js';

/** How long a failed image is answered from memory, and how many such URLs are kept. */
const FAILURE_MEMORY_MS = 5 * 60_000;
const FAILURE_MEMORY_ENTRIES = 10_000;

export interface MediaProxyOptions {
  /** GATEHOUSE_SECRET: the signing key is derived from it. */
  secret: string;
  mode: MediaProxyMode;
  /** PUBLIC_ORIGIN: where sync apps are sent for proxied images. */
  publicOrigin: string;
  /** e.g. <GATEHOUSE_DATA_DIR>/media-cache */
  cacheDirectory: string;
  cacheMaxBytes: number;
  /** allowHosts (the feed fetcher's allow-list), and tighter limits in tests. */
  fetchPolicy?: Partial<FetchPolicy>;
  /** Image fetches at once; 8. */
  concurrency?: number;
  log: ReaderLog;
}

/** An image ready to answer with: from the cache (an open file) or just fetched (in memory). */
export type ProxiedImage = { type: RasterType; size: number } & (
  { file: FileHandle; body?: undefined } | { body: Uint8Array; file?: undefined }
);

/**
 * The media proxy: signed URLs in (media-urls.ts), checked images out, from the disk cache
 * when it has them. Requests for an image already being fetched wait for that fetch, so a
 * page that shows one image in ten places costs the publisher one request; an image that
 * failed is not asked for again for five minutes (recent-failures.ts).
 */
export class MediaProxy {
  readonly urls: MediaUrls;
  readonly cache: MediaCache;
  private readonly signer: MediaUrlSigner;
  private readonly fetcher: ImageFetcher;
  private readonly slots: FetchSlots;
  private readonly inFlight = new Map<string, Promise<FetchedImage>>();
  private readonly failures = new RecentFailures(FAILURE_MEMORY_MS, FAILURE_MEMORY_ENTRIES);
  private readonly log: ReaderLog;

  constructor(options: MediaProxyOptions) {
    this.signer = new MediaUrlSigner(options.secret);
    this.urls = new MediaUrls(options.mode, this.signer, options.publicOrigin);
    this.cache = new MediaCache(options.cacheDirectory, options.cacheMaxBytes);
    this.fetcher = new ImageFetcher(options.fetchPolicy);
    this.slots = new FetchSlots(options.concurrency ?? 8);
    this.log = options.log;
  }

  /** The URL a proxied path names, or undefined when this server did not sign it. */
  verify(path: SignedMediaPath): string | undefined {
    return this.signer.verify(path);
  }

  /** Throws MediaRefusal when the image cannot be fetched or is not one. */
  async load(url: string): Promise<ProxiedImage> {
    const cached = await this.cache.get(url);
    if (cached !== undefined) return cached;
    if (this.failures.has(url)) throw new MediaRefusal('failed a moment ago');
    let pending = this.inFlight.get(url);
    if (pending === undefined) {
      pending = this.slots.run(() => this.fetchAndKeep(url)).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    const image = await pending;
    return { type: image.type, size: image.body.length, body: image.body };
  }

  close(): Promise<void> {
    return this.fetcher.close();
  }

  private async fetchAndKeep(url: string): Promise<FetchedImage> {
    let image: FetchedImage;
    try {
      image = await this.fetcher.fetch(url);
    } catch (error) {
      // The precise reason is the operator's; the client gets one generic answer (route).
      const reason = error instanceof MediaRefusal ? error.message : String(error);
      this.log.info({ origin: originOf(url), reason }, 'media proxy refused an image');
      this.failures.add(url);
      throw error instanceof MediaRefusal ? error : new MediaRefusal(reason, { cause: error });
    }
    try {
      await this.cache.put(url, image.type, image.body);
    } catch (error) {
      // A full or read-only disk costs the cache, not the answer.
      this.log.warn({ err: error }, 'media cache write failed');
    }
    return image;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
