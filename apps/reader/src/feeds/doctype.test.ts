import { describe, expect, it } from 'vitest';
import { withoutDoctype } from './doctype.js';

describe('withoutDoctype', () => {
  it.each([
    ['<!DOCTYPE rss><rss/>', '<rss/>'],
    [
      '<?xml version="1.0"?>\n<!-- generator --><?pi x?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss/>',
      '<?xml version="1.0"?>\n<!-- generator --><?pi x?>\n\n<rss/>',
    ],
    ['\uFEFF<!DOCTYPE rss [<!ENTITY % x SYSTEM "http://x.example/x.dtd"> %x;]><rss/>', '\uFEFF<rss/>'],
    // "]" and ">" inside literals, comments and PIs end nothing.
    [`<!DOCTYPE rss SYSTEM "a]>b" [<!ENTITY a '>]'><!-- ]> --><?p ]> ?>]><rss/>`, '<rss/>'],
  ])('removes the DOCTYPE of %j', (text, expected) => {
    expect(withoutDoctype(text)).toBe(expected);
  });

  it.each([
    // No DOCTYPE, or not in the prolog: nothing to do, or the parser's to refuse.
    '<rss><channel/></rss>',
    '<rss><!DOCTYPE rss></rss>',
    '{"version":"https://jsonfeed.org/version/1.1","title":"<!DOCTYPE x>"}',
    // Never ends: the parser refuses it as malformed.
    '<!DOCTYPE rss [<!ENTITY a "x">',
    '<!DOCTYPE rss "never closed><rss/>',
    '<!-- never closed <!DOCTYPE rss><rss/>',
  ])('leaves %j as it is', (text) => {
    expect(withoutDoctype(text)).toBe(text);
  });
});
