import { TextDecoder } from 'node:util';

/**
 * Bytes to text, in the document's own encoding. Order (WHATWG Encoding and RFC 7303): a
 * byte order mark wins, and so does the UTF-16 byte pattern of "<?" (it can be nothing
 * else); then the charset of Content-Type; then the XML declaration (or an HTML
 * <meta charset>); then UTF-8. Node's TextDecoder (full ICU) knows the common legacy
 * encodings: gb2312/gbk/gb18030, big5, shift_jis, euc-kr, windows-1252, iso-8859-*.
 */
export function decodeDocument(bytes: Uint8Array, contentType: string | null): string {
  const fromBytes = bomEncoding(bytes) ?? utf16WithoutBom(bytes);
  const candidates = [fromBytes, charsetOf(contentType), declaredEncoding(bytes)];
  for (const label of candidates) {
    if (label === undefined) continue;
    const decoder = decoderFor(label);
    if (decoder) return decode(decoder, bytes);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function decode(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  return decoder.encoding === 'windows-1252' ? fixWindows1252(text) : text;
}

// windows-1252 bytes 0x80–0x9F (curly quotes, dashes, €, …). Node 20's TextDecoder decodes
// this encoding, and every label WHATWG maps to it (iso-8859-1, latin1, us-ascii), as
// ISO-8859-1, leaving C1 control characters in their place. Undefined bytes stay as they are.
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/gu, (c) =>
    String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? 0xfffd),
  );
}

export function charsetOf(contentType: string | null): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/iu.exec(contentType ?? '');
  return match?.[1];
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/**
 * UTF-16 without a byte order mark, told from the XML declaration's first two characters
 * (XML 1.0 Appendix F): "<?" is 3C 00 3F 00 little-endian, 00 3C 00 3F big-endian. No
 * ASCII-compatible document starts with a NUL, so a charset label saying otherwise is wrong.
 */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0) return 'utf-16le';
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f) return 'utf-16be';
  return undefined;
}

/** encoding="…" of an XML declaration, or <meta charset> near the top of an HTML page. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  // Every encoding we can name is ASCII-compatible for these bytes, so latin1 reads them.
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/u.exec(head);
  if (xml) return xml[1];
  const meta = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)/iu.exec(head);
  return meta?.[1];
}

function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label.toLowerCase());
  } catch {
    // An unknown label: try the next source of truth rather than fail the whole feed.
    return undefined;
  }
}
