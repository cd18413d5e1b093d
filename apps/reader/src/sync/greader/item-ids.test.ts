import { describe, expect, it } from 'vitest';
import { longItemId, parseItemId, shortItemId } from './item-ids.js';

describe('item ids', () => {
  it('writes the long form with 16 hex digits and the short form in decimal', () => {
    expect(longItemId(1)).toBe('tag:google.com,2005:reader/item/0000000000000001');
    expect(longItemId(0x2f2)).toBe('tag:google.com,2005:reader/item/00000000000002f2');
    expect(shortItemId(754)).toBe('754');
  });

  it.each([
    ['tag:google.com,2005:reader/item/00000000000002f2', 754],
    ['tag:google.com,2005:reader/item/2f2', 754],
    ['TAG:GOOGLE.COM,2005:READER/ITEM/00000000000002F2', 754],
    ['00000000000002f2', 754],
    ['0000000000000010', 16],
    ['0x2f2', 754],
    ['754', 754],
    ['  754 ', 754],
    [longItemId(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
  ])('reads %j as %i', (value, expected) => {
    expect(parseItemId(value)).toBe(expected);
  });

  it.each([
    '',
    '0',
    '-1',
    '1e3',
    '7.5',
    'abc',
    '0x',
    '__proto__',
    'tag:google.com,2005:reader/item/',
    'tag:google.com,2005:reader/item/xyz',
    'tag:google.com,2005:reader/item/00000000000000001',
    'tag:example.com,2005:reader/item/0000000000000001',
    '0000000000000000',
    'ffffffffffffffff',
    '99999999999999999',
    String(Number.MAX_SAFE_INTEGER + 1),
  ])('refuses %j', (value) => {
    expect(parseItemId(value)).toBeUndefined();
  });

  it('round-trips every form it writes', () => {
    for (const id of [1, 9, 10, 15, 16, 255, 123_456, 2 ** 40]) {
      expect(parseItemId(longItemId(id))).toBe(id);
      expect(parseItemId(shortItemId(id))).toBe(id);
    }
  });
});
