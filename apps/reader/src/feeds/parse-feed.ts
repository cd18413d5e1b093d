import {
  DetectError,
  parseFeed,
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { FetchError } from './fetch-error.js';
import { htmlToText, textToHtml } from './plain-text.js';

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
    parsed = parseFeed(text, { maxItems: MAX_ITEMS });
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
    title: looseTitle(feed.title),
    siteUrl: resolve(feed.link, feedBase),
    items: (feed.items ?? []).map((item) => {
      const base = resolve(item.xml?.base, feedBase) ?? feedBase;
      const guid = nonEmpty(item.guid?.value);
      // A permalink guid is the item's address when it has no <link>.
      const permalink = item.guid?.isPermaLink !== false ? resolveAbsolute(guid) : null;
      const url = resolve(item.link, base) ?? permalink;
      const author = item.authors?.[0];
      return {
        guid,
        url,
        title: looseTitle(item.title) ?? '',
        author: nonEmpty(author?.name) ?? nonEmpty(author?.email) ?? nonEmpty(item.dc?.creators?.[0]),
        contentHtml: item.content?.encoded ?? item.description ?? '',
        publishedAt: parseDate(item.pubDate ?? item.dc?.dates?.[0]),
        baseUrl: url ?? base,
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
        contentHtml: atomHtml(body),
        publishedAt: parseDate(entry.published ?? entry.updated),
        baseUrl: url ?? base,
      };
    }),
  };
}

function fromRdf(feed: RdfFeed.Feed<string>, documentUrl: string): ParsedFeed {
  return {
    format: 'rdf',
    title: looseTitle(feed.title),
    siteUrl: resolve(feed.link, documentUrl),
    items: (feed.items ?? []).map((item) => {
      const url = resolve(item.link, documentUrl);
      return {
        guid: nonEmpty(item.rdf?.about),
        url,
        title: looseTitle(item.title) ?? '',
        author: nonEmpty(item.dc?.creators?.[0]),
        contentHtml: item.content?.encoded ?? item.description ?? '',
        publishedAt: parseDate(item.dc?.dates?.[0]),
        baseUrl: url ?? documentUrl,
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
        publishedAt: parseDate(item.date_published ?? item.date_modified),
        baseUrl: url ?? documentUrl,
      };
    }),
  };
}

/** Atom says what its text is (RFC 4287 §3.1): text is text, html and xhtml are markup. */
function atomText(text: AtomFeed.Text | undefined): string | null {
  if (text === undefined) return null;
  return nonEmpty(text.type === 'html' || text.type === 'xhtml' ? htmlToText(text.value) : text.value.trim());
}

function atomHtml(content: AtomFeed.Content | AtomFeed.Text | undefined): string {
  if (content?.value === undefined) return '';
  return content.type === 'html' || content.type === 'xhtml' ? content.value : textToHtml(content.value);
}

/** RSS doesn't say whether a title is text or HTML; feeds use both. Markup-looking → text. */
function looseTitle(title: string | undefined): string | null {
  if (title === undefined) return null;
  return nonEmpty(/<[a-z!/]/iu.test(title) ? htmlToText(title) : title.replace(/\s+/gu, ' '));
}

function alternateLink(links: AtomFeed.Link<string>[] | undefined, base: string): string | null {
  const link = links?.find((candidate) => candidate.rel === undefined || candidate.rel === 'alternate');
  return resolve(link?.href, base);
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

function parseDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : time;
}
