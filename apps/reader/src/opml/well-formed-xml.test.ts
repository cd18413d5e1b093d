import { describe, expect, it } from 'vitest';
import { wellFormednessError } from './well-formed-xml.js';

describe('wellFormednessError', () => {
  it.each([
    '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="a &gt; b" xmlUrl="x?a=1&amp;b=2"/></body></opml>',
    '<!DOCTYPE opml><opml><!-- <not a tag> --><body><![CDATA[ <outline> ]]></body></opml>',
    '<a title="1 > 0" other=\'"\'><b></b></a>',
    '<ns:a><ns:b/></ns:a>',
    '\uFEFF<opml/>\n',
  ])('accepts well-formed %s', (xml) => {
    expect(wellFormednessError(xml)).toBeNull();
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
    // What the hand-written check it replaces let through.
    "<a other='<'></a>",
    '<a b="1" b="2"/>',
    '<a/>trailing text',
    '<a>&eacute;</a>',
    '',
  ])('refuses %j', (xml) => {
    expect(wellFormednessError(xml)).not.toBeNull();
  });

  it('says where and why', () => {
    expect(wellFormednessError('<opml>\n  <body>\n</opml>')).toBe('line 3, column 7: unexpected close tag');
  });
});
