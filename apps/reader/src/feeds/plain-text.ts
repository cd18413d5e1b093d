import sanitizeHtml from 'sanitize-html';

const BLOCK_TAG =
  /<(\/?)(p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre|section|article|figure|figcaption|dt|dd|hr)\b/giu;
const ESCAPED = /&(amp|lt|gt|quot|#39);/gu;
const UNESCAPE: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * The text of an HTML fragment: for snippets, titles and the search index. Script, style
 * and similar elements go with their content. sanitize-html decodes every entity while
 * parsing and re-escapes only & < > " on output, so undoing those five gives the text.
 */
export function htmlToText(html: string): string {
  // Block boundaries become spaces, or "<p>one</p><p>two</p>" would read "onetwo".
  const spaced = html.replace(BLOCK_TAG, ' <$1$2');
  return textOf(spaced).replace(/\s+/gu, ' ').trim();
}

function textOf(html: string): string {
  const escaped = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return escaped.replace(ESCAPED, (_, name: string) => UNESCAPE[name] ?? '');
}

const REFERENCE = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/giu;
/** What a reference may decode to: one character (two for a few names), no markup, no control. */
const DECODED = /^[^<>\p{Cc}]{1,2}$/u;

/**
 * Text a publisher escaped twice ("&amp;#163;300m" in the XML, "&#163;300m" once decoded),
 * with the references left in it decoded once more: "£300m". A reference to "<" or ">"
 * stays as it is: decoding a second level must never make a tag, even in plain text, which
 * some client may yet render as HTML. Names HTML doesn't know ("&secret;") stay too.
 */
export function decodeLeftoverReferences(text: string): string {
  return text.replace(REFERENCE, (reference) => {
    const decoded = textOf(reference);
    return DECODED.test(decoded) ? decoded : reference;
  });
}

/** At most `max` characters (code points, so an emoji is never cut in half), with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** Plain text as HTML: escaped, paragraphs kept. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/gu, (c) => `&#${String(c.charCodeAt(0))};`);
  return escaped
    .split(/\n{2,}/u)
    .map((paragraph) => `<p>${paragraph.replace(/\n/gu, '<br>')}</p>`)
    .join('');
}
