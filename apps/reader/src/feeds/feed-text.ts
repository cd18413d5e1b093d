import type { AtomFeed, ItunesNs, MediaNs } from 'feedsmith';
import { decodeLeftoverReferences, htmlToText, textToHtml } from './plain-text.js';

/*
 * How a feed's text fields become our plain-text titles and HTML bodies. Formats differ in
 * how they say (or don't say) whether a value is text or markup.
 */

/**
 * Atom says what its text is (RFC 4287 §3.1): "html" and "xhtml" are markup, anything else
 * text. Older generators (and Atom 0.3) write MIME types for the same two.
 */
const ATOM_MARKUP_TYPES: ReadonlySet<string> = new Set(['html', 'xhtml', 'text/html', 'application/xhtml+xml']);

function isAtomMarkup(type: string | undefined): boolean {
  return ATOM_MARKUP_TYPES.has(type?.trim().toLowerCase() ?? 'text');
}

/** Text is text here, even what looks like an entity reference: Atom said so. */
export function atomText(text: AtomFeed.Text | undefined): string | null {
  if (text === undefined) return null;
  return oneLine(isAtomMarkup(text.type) ? htmlToText(text.value) : text.value);
}

export function atomHtml(content: AtomFeed.Content | AtomFeed.Text | undefined): string {
  if (content?.value === undefined) return '';
  return isAtomMarkup(content.type) ? content.value : textToHtml(content.value);
}

const MARKUP = /<[a-z!/]/iu;

/**
 * RSS doesn't say whether a title is text or HTML; feeds use both, and some escape it twice.
 * Markup-looking → its text; references left over → decoded.
 */
export function looseTitle(title: string | undefined): string | null {
  if (title === undefined) return null;
  return oneLine(decodeLeftoverReferences(MARKUP.test(title) ? htmlToText(title) : title));
}

/**
 * A description that may be text or HTML (itunes:summary and itunes:subtitle are text by
 * Apple's spec, but many podcasts put HTML there): markup-looking → HTML, else text.
 */
function looseHtml(value: string): string {
  return MARKUP.test(value) ? value : textToHtml(value);
}

/** Media RSS says: type="html" is markup, "plain" (the default) text. */
function mediaHtml(description: MediaNs.ItemOrFeed['description']): string | undefined {
  if (description?.value === undefined) return undefined;
  return description.type?.trim().toLowerCase() === 'html' ? description.value : textToHtml(description.value);
}

/**
 * For an item with no description of its own: podcasts and video feeds often describe an
 * item only in their namespaces. The longest first: summary, media description, subtitle.
 */
export function namespacedHtml(item: { itunes?: ItunesNs.Item; media?: MediaNs.ItemOrFeed }): string | undefined {
  const { media } = item;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- Apple no longer reads them; feeds still carry them
  const { summary, subtitle } = item.itunes ?? {};
  if (summary !== undefined) return looseHtml(summary);
  const described = media?.description ?? media?.groups?.[0]?.description ?? media?.contents?.[0]?.description;
  return mediaHtml(described) ?? (subtitle === undefined ? undefined : looseHtml(subtitle));
}

function oneLine(text: string): string | null {
  const title = text.replace(/\s+/gu, ' ').trim();
  return title === '' ? null : title;
}
