import type { AtomFeed, JsonFeed, MediaNs, RdfFeed, RssFeed } from 'feedsmith';

// The picture an item's row shows in the list: what the feed declares, in order a Media RSS
// thumbnail (or JSON Feed's `image`), a Media RSS image, an image enclosure; else the first
// image of the sanitized content. Only absolute http(s) URLs: a data:, javascript: or file:
// URL is no picture. The URL is stored as the feed gave it; what the browser loads is
// decided when it is served (the media proxy mode).

interface Enclosure {
  url: string | undefined;
  type: string | undefined;
}

export function rssItemImage(item: RssFeed.Item<string>, base: string): string | null {
  const enclosures = (item.enclosures ?? []).map(({ url, type }) => ({ url, type }));
  return declaredImage({ media: item.media, enclosures }, base);
}

export function atomEntryImage(entry: AtomFeed.Entry<string>, base: string): string | null {
  const enclosures = (entry.links ?? [])
    .filter((link) => link.rel === 'enclosure')
    .map(({ href, type }) => ({ url: href, type }));
  return declaredImage({ media: entry.media, enclosures }, base);
}

export function rdfItemImage(item: RdfFeed.Item<string>, base: string): string | null {
  return declaredImage({ media: item.media }, base);
}

/** JSON Feed names the item's image outright (`image`, then `banner_image`); attachments are its enclosures. */
export function jsonItemImage(item: JsonFeed.Item<string>, base: string): string | null {
  const enclosures = (item.attachments ?? []).map(({ url, mime_type }) => ({ url, type: mime_type }));
  return declaredImage({ named: [item.image, item.banner_image], enclosures }, base);
}

interface Declared {
  media?: MediaNs.ItemOrFeed | undefined;
  /** URLs the format itself calls the item's image. */
  named?: readonly (string | undefined)[];
  enclosures?: readonly Enclosure[];
}

function declaredImage({ media, named = [], enclosures = [] }: Declared, base: string): string | null {
  const groups = media?.groups ?? [];
  const contents = [...(media?.contents ?? []), ...groups.flatMap((group) => group.contents ?? [])];
  const thumbnails = [
    ...(media?.thumbnails ?? []),
    ...groups.flatMap((group) => group.thumbnails ?? []),
    ...contents.flatMap((content) => content.thumbnails ?? []),
  ];
  const candidates = [
    ...named,
    ...thumbnails.map((thumbnail) => thumbnail.url),
    ...contents.filter(isImageContent).map((content) => content.url),
    ...enclosures.filter((enclosure) => isImageType(enclosure.type)).map((enclosure) => enclosure.url),
  ];
  for (const candidate of candidates) {
    const url = httpUrl(candidate, base);
    if (url !== null) return url;
  }
  return null;
}

/** media:content says it is an image by `medium` or by its MIME type. */
function isImageContent(content: MediaNs.Content): boolean {
  return content.medium === 'image' || isImageType(content.type);
}

function isImageType(type: string | undefined): boolean {
  return type?.trim().toLowerCase().startsWith('image/') === true;
}

/** An absolute http(s) URL resolved against `base`, or null. */
export function httpUrl(value: string | undefined, base: string | undefined): string | null {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The first picture in already-sanitized HTML (sanitize-html writes every attribute as
 * name="value", entities escaped). A 0 or 1 pixel image is a tracking pixel, not a picture.
 */
export function firstContentImage(sanitizedHtml: string): string | null {
  for (const [, attributes = ''] of sanitizedHtml.matchAll(/<img\b([^>]*)>/giu)) {
    const attribute = (name: string) =>
      new RegExp(`\\s${name}="([^"]*)"`, 'iu').exec(attributes)?.[1]?.replace(/&(amp|quot|lt|gt|#39);/gu, decode);
    if (['width', 'height'].some((size) => /^\s*[01](px)?\s*$/iu.test(attribute(size) ?? ''))) continue;
    const url = httpUrl(attribute('src'), undefined);
    if (url !== null) return url;
  }
  return null;
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'" };

function decode(_entity: string, name: string): string {
  return ENTITIES[name] ?? '';
}
