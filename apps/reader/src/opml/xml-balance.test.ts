import { describe, expect, it } from 'vitest';
import { hasBalancedTags } from './xml-balance.js';

describe('hasBalancedTags', () => {
  it.each([
    '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="a &gt; b" xmlUrl="x?a=1&amp;b=2"/></body></opml>',
    '<!DOCTYPE opml><opml><!-- <not a tag> --><body><![CDATA[ <outline> ]]></body></opml>',
    '<a title="1 > 0" other=\'<\'><b></b></a>',
    '<ns:a><ns:b/></ns:a>',
  ])('accepts well-formed %s', (xml) => {
    expect(hasBalancedTags(xml)).toBe(true);
  });

  it.each([
    '<opml><body></opml>',
    '<opml><body></body>',
    '<a></b>',
    '<a><b></a></b>',
    '</a>',
    '<a attr="unterminated></a>',
    '<opml><!-- never ends',
    '<a>1 < 2</a>',
    '<a/></a>',
  ])('refuses %s', (xml) => {
    expect(hasBalancedTags(xml)).toBe(false);
  });
});
