import {
  DetectError,
  parseFeed,
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { withoutDoctype } from './doctype.js';
import { parseFeedDate } from './feed-date.js';
import { atomHtml, atomText, looseTitle, namespacedHtml } from './feed-text.js';
import { FetchError } from './fetch-error.js';
import { atomEntryImage, jsonItemImage, rdfItemImage, rssItemImage } from './item-image.js';
import { textToHtml } from './plain-text.js';

/** A feed reduced to what the reader keeps, whatever its format. URLs are absolute. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  siteUrl: string | null;
  items: ParsedItem[];
}

export interface ParsedItem {
  guid: string | null;
  url: string | null;
  /** Plain text. */
  title: string;
  author: string | null;
  /** As the feed wrote it: NOT yet sanitized. */
  contentHtml: string;
  publishedAt: number | null;
  /** What relative URLs inside the content resolve against. */
  baseUrl: string;
  /** The picture the feed declares for the item (item-image.ts); null: none declared. */
  imageUrl?: string | null;
}

/** More than this per fetch is a feed gone wrong, or an attack on our storage. */
const MAX_ITEMS = 500;

/**
 * Parses RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed with feedsmith. Throws FetchError
 * 'not_a_feed' for something else (an HTML page, say) and 'malformed' for a broken one.
 */
export function parseFeedDocument(text: string, documentUrl: string): ParsedFeed {
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(withoutDoctype(text), { maxItems: MAX_ITEMS });
  } catch (error) {
    if (error instanceof DetectError) {
      throw new FetchError('not_a_feed', 'This is not an RSS, Atom or JSON feed.', { cause: error });
    }
    throw new FetchError('malformed', 'The feed is malformed and could not be read.', { cause: error });
  }
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed, documentUrl);
    case 'atom':
      return fromAtom(parsed.feed, documentUrl);
    case 'rdf':
      return fromRdf(parsed.feed, documentUrl);
    case 'json':
      return fromJson(parsed.feed, documentUrl);
  }
}

function fromRss(feed: RssFeed.Feed<string>, documentUrl: string): ParsedFeed {
  const feedBase = resolve(feed.xml?.base, documentUrl) ?? documentUrl;
  return {
    format: 'rss',
    title: looseTitle(feed.title ?? feed.dc?.titles?.[0]),
    siteUrl: resolve(feed.link, feedBase) ?? rssAlternateLink(feed.atom?.links, feedBase),
    items: (feed.items ?? []).map((item) => {
      const base = resolve(item.xml?.base, feedBase) ?? feedBase;
      const guid = nonEmpty(item.guid?.value);
      // A permalink guid is the item's address when it has no <link>.
      const permalink = item.guid?.isPermaLink !== false ? resolveAbsolute(guid) : null;
      const url = resolve(item.link, base) ?? rssAlternateLink(item.atom?.links, base) ?? permalink;
      const author = item.authors?.[0];
      return {
        guid,
        url,
        title: looseTitle(item.title ?? item.dc?.titles?.[0]) ?? '',
        author: nonEmpty(author?.name) ?? nonEmpty(author?.email) ?? nonEmpty(item.dc?.creators?.[0]),
        contentHtml: item.content?.encoded ?? item.description ?? namespacedHtml(item) ?? '',
        publishedAt: parseFeedDate(item.pubDate ?? item.dc?.dates?.[0]),
        baseUrl: url ?? base,
        imageUrl: rssItemImage(item, base),
      };
    }),
  };
}

function fromAtom(feed: AtomFeed.Feed<string>, documentUrl: string): ParsedFeed {
  const feedBase = resolve(feed.xml?.base, documentUrl) ?? documentUrl;
  const feedAuthor = nonEmpty(feed.authors?.[0]?.name);
  return {
    format: 'atom',
    title: atomText(feed.title),
    siteUrl: alternateLink(feed.links, feedBase),
    items: (feed.entries ?? []).map((entry) => {
      const base = resolve(entry.xml?.base, feedBase) ?? feedBase;
      const url = alternateLink(entry.links, base);
      const body = entry.content?.value !== undefined ? entry.content : entry.summary;
      return {
        guid: nonEmpty(entry.id),
        url,
        title: atomText(entry.title) ?? '',
        author: nonEmpty(entry.authors?.[0]?.name) ?? feedAuthor,
        // With neither, YouTube's feed (say) describes its videos in media:group.
        contentHtml: body?.value === undefined ? (namespacedHtml(entry) ?? '') : atomHtml(body),
        publishedAt: parseFeedDate(entry.published ?? entry.updated),
        baseUrl: url ?? base,
        imageUrl: atomEntryImage(entry, base),
      };
    }),
  };
}

function fromRdf(feed: RdfFeed.Feed<string>, documentUrl: string): ParsedFeed {
  return {
    format: 'rdf',
    title: looseTitle(feed.title ?? feed.dc?.titles?.[0]),
    siteUrl: resolve(feed.link, documentUrl),
    items: (feed.items ?? []).map((item) => {
      const url = resolve(item.link, documentUrl);
      return {
        guid: nonEmpty(item.rdf?.about),
        url,
        title: looseTitle(item.title ?? item.dc?.titles?.[0]) ?? '',
        author: nonEmpty(item.dc?.creators?.[0]),
        contentHtml: item.content?.encoded ?? item.description ?? '',
        publishedAt: parseFeedDate(item.dc?.dates?.[0]),
        baseUrl: url ?? documentUrl,
        imageUrl: rdfItemImage(item, documentUrl),
      };
    }),
  };
}

function fromJson(feed: JsonFeed.Feed<string>, documentUrl: string): ParsedFeed {
  const feedAuthor = nonEmpty(feed.authors?.[0]?.name);
  return {
    format: 'json',
    title: looseTitle(feed.title),
    siteUrl: resolve(feed.home_page_url, documentUrl),
    items: (feed.items ?? []).map((item) => {
      const url = resolve(item.url ?? item.external_url, documentUrl);
      const text = item.content_text ?? item.summary;
      return {
        guid: nonEmpty(item.id),
        url,
        title: looseTitle(item.title) ?? '',
        author: nonEmpty(item.authors?.[0]?.name) ?? feedAuthor,
        contentHtml: item.content_html ?? (text === undefined ? '' : textToHtml(text)),
        publishedAt: parseFeedDate(item.date_published ?? item.date_modified),
        baseUrl: url ?? documentUrl,
        imageUrl: jsonItemImage(item, documentUrl),
      };
    }),
  };
}

function alternateLink(links: AtomFeed.Link<string>[] | undefined, base: string): string | null {
  const link = links?.find((candidate) => candidate.rel === undefined || candidate.rel === 'alternate');
  return resolve(link?.href, base);
}

/**
 * An atom:link in RSS is mostly rel="self", the feed's own address (some omit the rel):
 * only an explicit rel="alternate" names the page.
 */
function rssAlternateLink(links: AtomFeed.Link<string>[] | undefined, base: string): string | null {
  return resolve(links?.find((candidate) => candidate.rel === 'alternate')?.href, base);
}

/** An absolute http(s) URL, or null: other schemes (javascript:, data:) never become links. */
function resolve(value: string | undefined, base: string): string | null {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function resolveAbsolute(value: string | null): string | null {
  if (value === null || !/^https?:\/\//iu.test(value)) return null;
  return resolve(value, value);
}

function nonEmpty(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}
