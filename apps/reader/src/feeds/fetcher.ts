import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, request } from 'undici';
import { retryAfterMs } from './backoff.js';
import { FetchError, findFetchError } from './fetch-error.js';
import { checkFetchUrl, DEFAULT_FETCH_POLICY, HostAllowList, type FetchPolicy } from './fetch-policy.js';
import { guardedConnector, type Resolver } from './guarded-lookup.js';

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  /** What to ask for instead of a feed (the media proxy asks for images, full text for HTML). */
  accept?: string;
}

export type FetchResult =
  | { status: 'not_modified'; url: string; nonPublic: boolean }
  | {
      status: 'ok';
      /**
       * Some hop was an allow-listed (not public) host:port: a failure found later in this
       * document (not a feed, malformed) must not be told in detail either (FetchErrorDetails).
       */
      nonPublic: boolean;
      /** After redirects: what relative links resolve against. */
      url: string;
      contentType: string | null;
      body: Uint8Array;
      etag: string | null;
      lastModified: string | null;
    };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = [
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml',
  'application/xml;q=0.9',
  'text/xml;q=0.9',
  'application/json;q=0.8',
  'text/html;q=0.7',
  '*/*;q=0.5',
].join(', ');

/**
 * Fetches feed documents from URLs strangers chose: only http(s), never to a refused
 * address (checked on the URL, on every redirect, and on the resolved address at connect
 * time), redirects followed by hand (at most maxRedirects), one deadline for the whole
 * exchange, and a cap on the body counted after decompression (a 5 MiB gzip bomb is
 * gigabytes).
 */
export class FeedFetcher {
  readonly policy: FetchPolicy;
  private readonly allowList: HostAllowList;
  private readonly agent: Agent;

  /** `resolve`: the DNS behind the guard (tests use a fake one). */
  constructor(policy: Partial<FetchPolicy> = {}, resolve?: Resolver) {
    this.policy = { ...DEFAULT_FETCH_POLICY, ...policy };
    this.allowList = new HostAllowList(this.policy.allowHosts);
    this.agent = new Agent({
      connect: guardedConnector(this.allowList, { resolve, timeoutMs: this.policy.timeoutMs }),
      headersTimeout: this.policy.timeoutMs,
      bodyTimeout: this.policy.timeoutMs,
    });
  }

  /** Throws FetchError for every failure, with a message fit for the user. */
  async fetch(feedRequest: FetchRequest): Promise<FetchResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new FetchError('timeout', `No complete answer within ${describeMs(this.policy.timeoutMs)}.`));
    }, this.policy.timeoutMs);
    const exchange: Exchange = { nonPublic: false };
    try {
      return await this.follow(feedRequest, controller.signal, exchange);
    } catch (error) {
      const explained = this.explain(error, controller.signal);
      // Which failures users may hear in detail: see userFacingMessage.
      throw exchange.nonPublic || isNonPublicFailure(explained) ? explained.asNonPublic() : explained;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async follow(feedRequest: FetchRequest, signal: AbortSignal, exchange: Exchange): Promise<FetchResult> {
    let url = checkFetchUrl(feedRequest.url, this.allowList);
    for (let redirects = 0; ; redirects += 1) {
      // An allow-listed hop is an address users could not reach without us: the whole
      // exchange is then reported as a non-public one, whatever comes after.
      if (this.allowList.allowsUrl(url)) exchange.nonPublic = true;
      const headers: Record<string, string> = {
        'user-agent': this.policy.userAgent,
        accept: feedRequest.accept ?? ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      if (feedRequest.etag) headers['if-none-match'] = feedRequest.etag;
      if (feedRequest.lastModified) headers['if-modified-since'] = feedRequest.lastModified;

      const response = await request(url, { method: 'GET', headers, signal, dispatcher: this.agent });
      const header = (name: string) => singleHeader(response.headers[name]);

      if (REDIRECT_STATUSES.has(response.statusCode)) {
        discard(response.body);
        const location = header('location');
        if (location === null)
          throw new FetchError('http_status', `HTTP ${String(response.statusCode)} without a Location.`);
        if (redirects >= this.policy.maxRedirects) {
          throw new FetchError('too_many_redirects', `More than ${String(this.policy.maxRedirects)} redirects.`);
        }
        url = checkFetchUrl(resolveLocation(location, url), this.allowList);
        continue;
      }
      if (response.statusCode === 304) {
        discard(response.body);
        return { status: 'not_modified', url: url.href, nonPublic: exchange.nonPublic };
      }
      if (response.statusCode !== 200) {
        discard(response.body);
        const status = response.statusCode;
        const retryAfter =
          status === 429 || status === 503 ? retryAfterMs(header('retry-after'), Date.now()) : undefined;
        throw new FetchError('http_status', `The server answered HTTP ${String(status)}.`, {
          status,
          ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        });
      }
      const declaredLength = Number(header('content-length') ?? NaN);
      if (declaredLength > this.policy.maxBytes) {
        discard(response.body);
        throw this.tooLarge();
      }
      const body = await this.readBody(response.body, header('content-encoding'));
      return {
        status: 'ok',
        nonPublic: exchange.nonPublic,
        url: url.href,
        contentType: header('content-type'),
        body,
        etag: header('etag'),
        lastModified: header('last-modified'),
      };
    }
  }

  private async readBody(body: Readable, contentEncoding: string | null): Promise<Uint8Array> {
    let decoder: Transform | undefined;
    try {
      decoder = decompressorFor(contentEncoding);
    } catch (error) {
      discard(body);
      throw error;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // An object, not a boolean: the flag is set inside the collector closure.
    const limit = { exceeded: false };
    const collect = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        size += chunk.length;
        // Throwing here destroys the pipeline and the connection: the rest is never read.
        if (size > this.policy.maxBytes) {
          limit.exceeded = true;
          throw this.tooLarge();
        }
        chunks.push(chunk);
      }
    };
    try {
      if (decoder === undefined) await pipeline(body, collect);
      else await pipeline(body, decoder, collect);
    } catch (error) {
      // The pipeline may reject with the AbortError of tearing down, not our reason.
      if (limit.exceeded) throw this.tooLarge();
      throw error;
    }
    return Buffer.concat(chunks);
  }

  private tooLarge(): FetchError {
    return new FetchError('too_large', `The document is larger than ${describeBytes(this.policy.maxBytes)}.`);
  }

  private explain(error: unknown, signal: AbortSignal): FetchError {
    const known = findFetchError(error) ?? findFetchError(signal.reason);
    if (known) return known;
    if (signal.aborted)
      return new FetchError('timeout', `No complete answer within ${describeMs(this.policy.timeoutMs)}.`);
    const code = errorCode(error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new FetchError('network', 'The host name does not resolve.', { cause: error });
    }
    if (code === 'ECONNREFUSED')
      return new FetchError('network', 'The server refused the connection.', { cause: error });
    if (code?.includes('TIMEOUT')) {
      return new FetchError('timeout', `No complete answer within ${describeMs(this.policy.timeoutMs)}.`);
    }
    if (code === 'Z_DATA_ERROR' || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      return new FetchError('network', 'The compressed body is corrupt.', { cause: error });
    }
    return new FetchError('network', 'The server could not be reached.', { cause: error });
  }
}

/** What one fetch learned about where it went, across its redirects. */
interface Exchange {
  nonPublic: boolean;
}

/**
 * Failures that say something about a destination users cannot see: the guard refused it,
 * or its name does not resolve (which, beside a refusal, tells apart internal names that
 * exist from those that do not).
 */
function isNonPublicFailure(error: FetchError): boolean {
  if (error.kind === 'refused') return true;
  const code = errorCode(error.cause);
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** Closes a body we won't read; the abort it causes is expected, not an uncaught error. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function decompressorFor(contentEncoding: string | null): Transform | undefined {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  throw new FetchError('network', `Unsupported Content-Encoding ${encoding}.`);
}

function resolveLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new FetchError('invalid_url', 'A redirect pointed to an invalid URL.');
  }
}

function singleHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

function describeMs(ms: number): string {
  return ms >= 1000 ? `${String(Math.round(ms / 1000))} s` : `${String(ms)} ms`;
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${String(Math.round(bytes / 1024 / 1024))} MiB`
    : `${String(Math.round(bytes / 1024))} KiB`;
}
