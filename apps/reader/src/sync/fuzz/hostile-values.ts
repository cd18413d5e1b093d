/** Generic hostile values: any text, control characters, near-miss secrets, and a weighting helper. */

import { createHash } from 'node:crypto';
import fc from 'fast-check';

export const unicode = fc.string({ unit: 'binary', maxLength: 48 });
export const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 64,
});
const controlled = fc
  .tuple(ascii, fc.nat(), fc.constantFrom('\u0000', '\u0001', '\n', '\r\n', '\u001b', '\u007f', '\u2028', '\ufeff'))
  .map(([text, at, char]) => text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1)));
export const hostileText = fc.oneof(
  unicode,
  ascii,
  controlled,
  fc.constantFrom('', ' ', '__proto__', 'constructor', '%', '%00', '\\', "'", '"', '\ud800', '１２', 'x'.repeat(5000)),
);

export const mostly = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostile });

/** A secret changed so it surely no longer matches: cut, one character replaced, or lengthened. */
export function mutated(secret: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: secret.length - 1 }).map((at) => secret.slice(0, at)),
    fc.tuple(fc.nat({ max: secret.length - 1 }), fc.constantFrom('A', '0', '_', 'f', '\u00e9')).map(([at, char]) => {
      // Compared without case: Fever keys and app passwords are matched in any case.
      const same = secret[at]?.toLowerCase() === char.toLowerCase();
      const replacement = same ? (char === '0' ? '1' : '0') : char;
      return secret.slice(0, at) + replacement + secret.slice(at + 1);
    }),
    fc.constantFrom(`${secret}0`, `0${secret}`, `${secret}${secret}`),
  );
}

export const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
