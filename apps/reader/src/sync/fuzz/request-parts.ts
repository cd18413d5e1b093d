/** What both dialects build requests from: junk names, body kinds, noise, placement, and percent-encoding. */

import fc from 'fast-check';
import type { BodyKind, Pairs } from './fuzz-types.js';
import { unicode } from './hostile-values.js';

export const JUNK_NAMES = ['__proto__', 'constructor', 'hasOwnProperty', '', 'S', 'i[]', '\u0000'];

/** Mostly a form the server reads (so requests get past it to the checks behind it), else anything. */
export const bodyKind = fc.oneof(
  { weight: 12, arbitrary: fc.constant<BodyKind>('form') },
  { weight: 4, arbitrary: fc.constantFrom<BodyKind>('multipart', 'multipart', 'charset', 'untyped') },
  { weight: 5, arbitrary: fc.constantFrom<BodyKind>('json', 'garbage', 'brokenMultipart', 'oversize', 'chunked') },
);

/** A body that is no form (base64 of its bytes): any text, any bytes, or form syntax gone wrong. */
export const noise = fc
  .oneof(
    unicode.map((text) => Buffer.from(text, 'utf8')),
    fc.uint8Array({ maxLength: 128 }).map((bytes) => Buffer.from(bytes)),
    fc
      .constantFrom('%', '&=&=', 'a=%ZZ&b', '\u0000=\u0000', 'T=%E', 'i=\xff\xfe')
      .map((text) => Buffer.from(text, 'latin1')),
  )
  .map((bytes) => bytes.toString('base64'));

/** Where a parameter goes: the query string, or the body (lost where the server reads no body). */
export const placement = fc.oneof(
  { weight: 3, arbitrary: fc.constant('body') },
  { weight: 1, arbitrary: fc.constant('query') },
);

/** Whether the server reads fields of this body: only POST forms, and only the form types it knows. */
export function bodyRead(dialect: 'greader' | 'fever', method: string, kind: BodyKind): boolean {
  if (method !== 'POST') return false;
  if (kind === 'form' || kind === 'charset' || kind === 'multipart') return true;
  return dialect === 'greader' && kind === 'untyped';
}

export const rawQuery = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('&n=%', '&s=%ZZ', '&s=%ED%A0%80', '&i=%00', '&&&', '&=x', '&i', '&%00=%00', '&n=1&n=2'),
  },
);

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it); `keep` stays raw. */
export function percentEncode(text: string, keep = /[A-Za-z0-9_.~-]/u): string {
  let out = '';
  for (const char of text) {
    if (keep.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function queryOf(pairs: Pairs): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

/** Every value a request carries, as sent before encoding: what an answer may rightly echo. */
export function mentionsOf(query: Pairs, fields: Pairs, more: string[]): string[] {
  return [...query, ...fields].flatMap(([name, value]) => [name, value]).concat(more);
}
