/**
 * Text for XML 1.0 documents we write by hand (the Atom stream). Feed content is written by
 * strangers: every value goes through here, in element text and in attributes alike.
 */

// Characters XML 1.0 forbids anywhere (§2.2): C0 controls but tab, LF and CR; U+FFFE/U+FFFF;
// and lone surrogates (with the u flag a valid pair is one code point and never matches).
// A single one makes the whole document unreadable to a strict parser (libxml2 in newsboat).
// eslint-disable-next-line no-control-regex -- the control characters are exactly the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escaped for element text and for quoted attribute values (both quote kinds). */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/gu, (character) => ESCAPES[character] ?? '');
}

/** RFC 3339 for Atom dates; a time no Date can hold becomes the epoch rather than a throw. */
export function atomTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}
