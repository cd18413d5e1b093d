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
  const escaped = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} });
  return escaped
    .replace(ESCAPED, (_, name: string) => UNESCAPE[name] ?? '')
    .replace(/\s+/gu, ' ')
    .trim();
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
