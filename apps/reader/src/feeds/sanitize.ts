import sanitizeHtml, { type Attributes, type IOptions, type Transformer } from 'sanitize-html';
import type { ImageUrlRewrite } from '../media/media-urls.js';

/**
 * Feed HTML is written by strangers and shown inside a signed-in page: the textbook place
 * for stored XSS. Policy as data, an allow-list (everything not named here is dropped):
 * no script or style (elements or attributes), no event handlers, no forms or inputs, no
 * object/embed/svg/math, no meta/base/link (a <meta http-equiv=refresh> or <base href>
 * would redirect the page or re-point its links), no id/name/class (DOM clobbering: an
 * <img name=fetch> shadows document.fetch). URLs are resolved against the item's address
 * first and then checked, so "java\tscript:" or a relative path can't slip past the
 * scheme check. The CSP of the web app is the second line if this one ever misses.
 */

// prettier-ignore
const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details',
  'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'iframe',
  'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var',
  'wbr',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel', 'target'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'referrerpolicy'],
  iframe: ['src', 'width', 'height', 'title', 'allowfullscreen', 'sandbox', 'referrerpolicy'],
  abbr: ['title'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['datetime'],
  ins: ['datetime'],
  time: ['datetime'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed'],
};

/** Embedded players we trust to run in a sandbox; everything else loses its iframe. */
export const ALLOWED_IFRAME_HOSTS = ['www.youtube-nocookie.com', 'player.vimeo.com'];

// The player needs its own scripts and origin; it gets no top navigation, forms or popups
// that escape the sandbox.
const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-presentation';

function resolveUrl(value: string | undefined, baseUrl: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value.trim(), baseUrl).href;
  } catch {
    return undefined;
  }
}

/** Resolves a URL attribute, forces the given attributes, drops the URL if it can't be read. */
function withResolved(
  urlAttribute: string,
  forced: Attributes,
  baseUrl: string | undefined,
  rewrite?: ImageUrlRewrite,
): Transformer {
  return (tagName, attribs) => {
    const absolute = resolveUrl(attribs[urlAttribute], baseUrl);
    const resolved = rewrite === undefined || absolute === undefined ? absolute : rewrite(absolute);
    const rest = Object.fromEntries(Object.entries(attribs).filter(([name]) => name !== urlAttribute));
    const url = resolved === undefined ? {} : { [urlAttribute]: resolved };
    return { tagName, attribs: { ...rest, ...url, ...forced } };
  };
}

function options(baseUrl: string | undefined, imageUrl: ImageUrlRewrite | undefined): IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'], iframe: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedIframeHostnames: ALLOWED_IFRAME_HOSTS,
    allowIframeRelativeUrls: false,
    parseStyleAttributes: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: withResolved('href', { rel: 'noopener noreferrer nofollow', target: '_blank' }, baseUrl),
      img: withResolved('src', { loading: 'lazy', referrerpolicy: 'no-referrer' }, baseUrl, imageUrl),
      iframe: withResolved('src', { sandbox: IFRAME_SANDBOX, referrerpolicy: 'no-referrer' }, baseUrl),
      blockquote: withResolved('cite', {}, baseUrl),
      q: withResolved('cite', {}, baseUrl),
    },
    // An image or a frame whose address was refused is just an empty box: drop it.
    exclusiveFilter: (frame) => (frame.tag === 'img' || frame.tag === 'iframe') && !frame.attribs.src,
  };
}

/**
 * Safe HTML for the article view; relative URLs are resolved against `baseUrl`. Image URLs
 * are stored as the feed gave them (http: too) and rewritten only when served, by
 * `imageUrl` (MediaUrls: through the media proxy, or upgraded to https), so that the
 * proxy's mode applies to every stored item. A URL it returns is checked like any other;
 * undefined drops the image.
 */
export function sanitizeFeedHtml(html: string, baseUrl?: string, imageUrl?: ImageUrlRewrite): string {
  return sanitizeHtml(html, options(baseUrl, imageUrl)).trim();
}
