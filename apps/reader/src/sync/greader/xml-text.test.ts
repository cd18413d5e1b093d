import { describe, expect, it } from 'vitest';
import { atomTime, xmlText } from './xml-text.js';

describe('xmlText', () => {
  it('escapes markup and both quotes', () => {
    expect(xmlText(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&apos;y&apos;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('drops characters XML 1.0 forbids, keeps tab, newlines and astral characters', () => {
    expect(xmlText('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFF')).toBe('abcdef');
    expect(xmlText('lone \uD800 high, lone \uDC00 low')).toBe('lone  high, lone  low');
    expect(xmlText('tab\tLF\nCR\r')).toBe('tab\tLF\nCR\r');
    expect(xmlText('emoji 😀 and 网络')).toBe('emoji 😀 and 网络');
  });

  it('writes RFC 3339 times, and the epoch for a time out of range', () => {
    expect(atomTime(Date.UTC(2024, 0, 2, 10))).toBe('2024-01-02T10:00:00.000Z');
    expect(atomTime(8.64e15 + 1)).toBe('1970-01-01T00:00:00.000Z');
    expect(atomTime(Number.NaN)).toBe('1970-01-01T00:00:00.000Z');
  });
});
