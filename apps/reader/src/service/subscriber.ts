import type { Kysely } from 'kysely';
import type { Clock } from '@gatehouse/core';
import { FeedStore } from '../db/feed-store.js';
import type { ReaderDatabase } from '../db/schema.js';
import { SubscriptionStore } from '../db/subscription-store.js';
import { decodeDocument } from '../feeds/charset.js';
import { discoverFeedUrls, looksLikeHtml } from '../feeds/discovery.js';
import { FetchError } from '../feeds/fetch-error.js';
import { checkFetchUrl, HostAllowList } from '../feeds/fetch-policy.js';
import type { FeedFetcher, FetchResult } from '../feeds/fetcher.js';
import { parseFeedDocument, type ParsedFeed } from '../feeds/parse-feed.js';
import { storeFetchedFeed } from './feed-refresher.js';

export interface SubscribeRequest {
  url: string;
  folderId: string | null;
  title: string | null;
}

export interface SubscribeResult {
  subscriptionId: string;
  /** false: the user was already subscribed, and nothing changed. */
  created: boolean;
}

/** Site pages may announce several feeds; a few tries find one that works. */
const MAX_DISCOVERED_TRIES = 3;

type FetchedDocument = Extract<FetchResult, { status: 'ok' }>;

/**
 * Subscribing: a feed URL, or a site URL whose page announces its feed. A feed someone
 * already reads is shared as it is; a new one is fetched and parsed once before anything
 * is stored, so a URL that is unreachable, refused or not a feed leaves no trace. Throws
 * FetchError saying which.
 */
export class Subscriber {
  private readonly allowList: HostAllowList;

  constructor(
    private readonly db: Kysely<ReaderDatabase>,
    private readonly fetcher: FeedFetcher,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {
    this.allowList = new HostAllowList(fetcher.policy.allowHosts);
  }

  async subscribe(userId: string, request: SubscribeRequest): Promise<SubscribeResult> {
    const exchange = { nonPublic: false };
    try {
      return await this.subscribeTo(userId, request, exchange);
    } catch (error) {
      // "Not a feed" or "malformed" about a document from an allow-listed host says what
      // is there as much as a fetch failure does (see userFacingMessage).
      if (error instanceof FetchError && exchange.nonPublic) throw error.asNonPublic();
      throw error;
    }
  }

  private async subscribeTo(
    userId: string,
    request: SubscribeRequest,
    exchange: { nonPublic: boolean },
  ): Promise<SubscribeResult> {
    // "example.com/feed" is what people type: give it a scheme before judging it.
    const typed = /^[a-z][a-z0-9+.-]*:/iu.test(request.url) ? request.url : `https://${request.url}`;
    const url = checkFetchUrl(typed, this.allowList).href;
    const known = await new FeedStore(this.db).findByUrl(url);
    if (known !== undefined) return this.attach(userId, known.id, request);

    const document = await this.fetchDocument(url, exchange);
    const text = decodeDocument(document.body, document.contentType);
    try {
      return await this.subscribeToDocument(userId, url, parseFeedDocument(text, document.url), document, request);
    } catch (error) {
      if (!(error instanceof FetchError) || error.kind !== 'not_a_feed') throw error;
      if (!looksLikeHtml(document.contentType, text)) throw error;
    }
    return this.subscribeByDiscovery(userId, discoverFeedUrls(text, document.url), request, exchange);
  }

  private async subscribeByDiscovery(
    userId: string,
    candidates: string[],
    request: SubscribeRequest,
    exchange: { nonPublic: boolean },
  ) {
    if (candidates.length === 0) {
      throw new FetchError('not_a_feed', 'This page is not a feed and does not link to one (<link rel="alternate">).');
    }
    let lastError: unknown;
    for (const candidate of candidates.slice(0, MAX_DISCOVERED_TRIES)) {
      try {
        const url = checkFetchUrl(candidate, this.allowList).href;
        const known = await new FeedStore(this.db).findByUrl(url);
        if (known !== undefined) return await this.attach(userId, known.id, request);
        const document = await this.fetchDocument(url, exchange);
        const parsed = parseFeedDocument(decodeDocument(document.body, document.contentType), document.url);
        return await this.subscribeToDocument(userId, url, parsed, document, request);
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError instanceof FetchError) {
      throw new FetchError(lastError.kind, `The page links to a feed, but: ${lastError.message}`, lastError.details);
    }
    throw lastError;
  }

  private async subscribeToDocument(
    userId: string,
    url: string,
    parsed: ParsedFeed,
    document: FetchedDocument,
    request: SubscribeRequest,
  ): Promise<SubscribeResult> {
    const now = this.clock();
    const feed = await new FeedStore(this.db).ensure(url, now, now + this.intervalMs);
    // Another user may have added it meanwhile: then it is theirs to keep fresh, not ours.
    if (feed.lastFetchedAt === null) {
      await storeFetchedFeed(this.db, feed.id, parsed, document, now, now + this.intervalMs);
    }
    return this.attach(userId, feed.id, request);
  }

  private async fetchDocument(url: string, exchange: { nonPublic: boolean }): Promise<FetchedDocument> {
    const result = await this.fetcher.fetch({ url });
    if (result.nonPublic) exchange.nonPublic = true;
    // Unconditional requests can't get a 304; a server that sends one anyway sent no feed.
    if (result.status !== 'ok') throw new FetchError('http_status', 'The server answered 304 to a plain request.');
    return result;
  }

  private async attach(userId: string, feedId: string, request: SubscribeRequest): Promise<SubscribeResult> {
    const { id, created } = await new SubscriptionStore(this.db).create(
      userId,
      { feedId, folderId: request.folderId, title: request.title },
      this.clock(),
    );
    return { subscriptionId: id, created };
  }
}
