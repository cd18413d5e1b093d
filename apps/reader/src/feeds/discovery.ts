/**
 * Feed autodiscovery: the <link rel="alternate" type="application/rss+xml" href="…"> of a
 * site's page. A small tag scan is enough here — the URLs it finds are treated like any URL
 * a user typed (the same SSRF guard, fetcher and parser), so a page that fools it gains
 * nothing.
 */

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
]);

const LINK_TAG = /<link\b([^>]*)>/giu;
const ATTRIBUTE = /([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/gu;

/** Absolute feed URLs announced by an HTML page, in document order. */
export function discoverFeedUrls(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  for (const [, attributeText = ''] of html.matchAll(LINK_TAG)) {
    const attributes = parseAttributes(attributeText);
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/u);
    const type = (attributes.get('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    const href = attributes.get('href');
    if (!rel.includes('alternate') || !FEED_TYPES.has(type) || href === undefined) continue;
    try {
      const url = new URL(decodeBasicEntities(href).trim(), pageUrl);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !found.includes(url.href)) found.push(url.href);
    } catch {
      // Not a URL: skip it.
    }
  }
  return found;
}

/** Whether a response is an HTML page (and so worth a look for <link rel=alternate>). */
export function looksLikeHtml(contentType: string | null, text: string): boolean {
  if ((contentType ?? '').toLowerCase().includes('text/html')) return true;
  return /^\s*(<!doctype html|<html)/iu.test(text.slice(0, 1024));
}

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name = '', double, single, bare] of text.matchAll(ATTRIBUTE)) {
    const key = name.toLowerCase();
    if (!attributes.has(key)) attributes.set(key, double ?? single ?? bare ?? '');
  }
  return attributes;
}

function decodeBasicEntities(value: string): string {
  return value
    .replace(/&amp;/giu, '&')
    .replace(/&#38;/gu, '&')
    .replace(/&quot;/giu, '"')
    .replace(/&#x2f;/giu, '/');
}
