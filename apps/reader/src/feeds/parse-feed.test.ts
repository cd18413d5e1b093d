import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixture-feed-server.js';
import { decodeDocument } from './charset.js';
import { discoverFeedUrls, looksLikeHtml } from './discovery.js';
import { FetchError } from './fetch-error.js';
import { parseFeedDocument } from './parse-feed.js';
import { prepareItems } from './prepare-items.js';

function parseFixture(name: string, url: string, contentType: string | null = null) {
  return parseFeedDocument(decodeDocument(fixture(name), contentType), url);
}

describe('parseFeedDocument', () => {
  it('reads RSS 2.0: content:encoded over description, dc:creator, pubDate', () => {
    const feed = parseFixture('rss2.xml', 'https://rss.example/feed.xml');
    expect(feed).toMatchObject({ format: 'rss', title: 'Fixture RSS & Friends', siteUrl: 'https://rss.example/' });
    expect(feed.items[0]).toMatchObject({
      guid: 'rss-2',
      url: 'https://rss.example/posts/2',
      title: 'Second RSS post',
      author: 'Dana Writer',
      publishedAt: Date.parse('2024-01-02T10:00:00Z'),
    });
    expect(feed.items[0]?.contentHtml).toContain('zeppelins');
    expect(feed.items[1]?.author).toBe('Eve');
  });

  it('reads RSS 1.0 / RDF', () => {
    const feed = parseFixture('rss1.rdf', 'https://rdf.example/index.rdf');
    expect(feed).toMatchObject({ format: 'rdf', title: 'Fixture RDF' });
    expect(feed.items[0]).toMatchObject({
      guid: 'https://rdf.example/a',
      url: 'https://rdf.example/a',
      author: 'Carol',
      publishedAt: Date.parse('2024-02-03T04:05:06Z'),
    });
  });

  it('reads Atom, keeping text titles as text and html titles as their text', () => {
    const feed = parseFixture('atom.xml', 'https://atom.example/feed.atom');
    expect(feed).toMatchObject({ format: 'atom', title: 'Fixture Atom', siteUrl: 'https://atom.example/' });
    expect(feed.items[0]).toMatchObject({
      title: 'Atom entry one',
      author: 'Atom Author',
      url: 'https://atom.example/entries/1',
      publishedAt: Date.parse('2024-02-29T12:00:00Z'),
    });
    expect(feed.items[1]?.title).toBe('Plain text title with 1 < 2');
    // type="text" content is text: its angle brackets are escaped, not markup.
    expect(feed.items[1]?.contentHtml).toBe('<p>Text summary, &#60;b&#62;not&#60;/b&#62; markup.</p>');
  });

  it('reads JSON Feed, escaping content_text', () => {
    const feed = parseFixture('feed.json', 'https://json.example/feed.json');
    expect(feed).toMatchObject({ format: 'json', title: 'Fixture JSON Feed', siteUrl: 'https://json.example/' });
    expect(feed.items[0]).toMatchObject({ guid: 'json-1', author: 'Jay Son', title: 'JSON item about volcanoes' });
    expect(feed.items[1]?.contentHtml).toBe('<p>Line one &#60;not markup&#62;</p><p>Line two</p>');
  });

  it('resolves relative links against xml:base and the feed address', () => {
    const atom = parseFixture('relative-links.xml', 'https://elsewhere.example/feed');
    expect(atom.siteUrl).toBe('https://relative.example/blog/');
    expect(atom.items[0]?.url).toBe('https://relative.example/blog/posts/hello.html');
    const rss = parseFixture('relative-rss.xml', 'https://relative.example/feeds/main.xml');
    expect(rss.siteUrl).toBe('https://relative.example/');
    expect(rss.items[0]?.url).toBe('https://relative.example/articles/42');
  });

  it('never turns a javascript: link into an item or site URL', () => {
    const feed = parseFixture('hostile.xml', 'https://hostile.example/feed.xml');
    expect(feed.siteUrl).toBeNull();
    expect(feed.items[0]?.url).toBeNull();
    expect(feed.title).not.toContain('<script');
  });

  it('throws malformed for broken XML and not_a_feed for an HTML page', () => {
    const kind = (name: string) => {
      try {
        parseFixture(name, 'https://x.example/');
      } catch (error) {
        return error instanceof FetchError ? error.kind : 'other';
      }
      return 'parsed';
    };
    expect(kind('broken.xml')).toBe('malformed');
    expect(kind('site.html')).toBe('not_a_feed');
  });
});

describe('decodeDocument', () => {
  it('honours the charset of Content-Type (gb2312)', () => {
    const feed = parseFixture('gb2312.xml', 'https://gb.example/feed', 'text/xml; charset=gb2312');
    expect(feed.title).toBe('中文测试频道');
    expect(feed.items[0]?.title).toBe('安全新闻');
  });

  it('falls back to the XML declaration (gb2312, windows-1252)', () => {
    expect(parseFixture('gb2312.xml', 'https://gb.example/feed', 'text/xml').title).toBe('中文测试频道');
    const feed = parseFixture('windows-1252.xml', 'https://cp.example/feed', 'application/xml');
    expect(feed.title).toBe('Café “Quotes”');
    expect(feed.items[0]?.title).toBe('Naïve résumé €5');
  });

  it('lets a byte order mark win, and survives an unknown charset label', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>', 'utf8')]);
    expect(decodeDocument(withBom, 'text/xml; charset=windows-1252')).toBe('<a>é</a>');
    expect(decodeDocument(Buffer.from('<a>é</a>', 'utf8'), 'text/xml; charset=x-no-such')).toBe('<a>é</a>');
  });
});

describe('discoverFeedUrls', () => {
  it('finds <link rel="alternate"> feeds and resolves them against the page', () => {
    const html = fixture('site.html').toString('utf8');
    expect(discoverFeedUrls(html, 'https://site.example/blog/')).toEqual(['https://site.example/rss2.xml']);
    expect(looksLikeHtml('text/html', html)).toBe(true);
  });

  it('ignores stylesheets, non-feed types and javascript: hrefs', () => {
    const html = `<link rel="stylesheet" href="/a.css"><link rel=alternate type="text/html" href="/fr">
      <link rel="alternate" type="application/atom+xml" href="javascript:alert(1)">
      <LINK REL='Alternate feed' TYPE='application/atom+xml' HREF='/atom?a=1&amp;b=2'>`;
    expect(discoverFeedUrls(html, 'https://s.example/')).toEqual(['https://s.example/atom?a=1&b=2']);
  });
});

describe('prepareItems', () => {
  const base = {
    url: null,
    title: 'T',
    author: null,
    contentHtml: '<p>x</p>',
    publishedAt: null,
    baseUrl: 'https://x.example/',
  };

  it('keys items by guid, then link, then a content hash', () => {
    const [byGuid, byLink, byHash] = prepareItems(
      [
        { ...base, guid: 'g', url: 'https://x.example/1' },
        { ...base, guid: null, url: 'https://x.example/2' },
        { ...base, guid: null, url: null },
      ],
      0,
    );
    expect(byGuid?.dedupKey).toBe('guid:g');
    expect(byLink?.dedupKey).toBe('link:https://x.example/2');
    expect(byHash?.dedupKey).toMatch(/^hash:[0-9a-f]{64}$/u);
  });

  it('keeps one of two items with the same key in a document', () => {
    const items = prepareItems(
      [
        { ...base, guid: 'same' },
        { ...base, guid: 'same', title: 'Other' },
      ],
      0,
    );
    expect(items.map((item) => item.title)).toEqual(['T']);
  });

  it('sanitizes content, makes a plain-text snippet of at most 200 characters, clamps future dates', () => {
    const long = `<p onclick="x()">${'word '.repeat(100)}</p><script>alert(1)</script>`;
    const [item] = prepareItems([{ ...base, guid: 'g', contentHtml: long, publishedAt: 5_000 }], 1_000);
    expect(item?.contentHtml).not.toMatch(/onclick|script/u);
    expect(Array.from(item?.snippet ?? '').length).toBeLessThanOrEqual(200);
    expect(item?.snippet).not.toContain('<');
    expect(item?.publishedAt).toBe(1_000);
  });

  it('gives an untitled item a title from its text', () => {
    const [item] = prepareItems([{ ...base, guid: 'g', title: '', contentHtml: '<p>Hello &amp; welcome</p>' }], 0);
    expect(item?.title).toBe('Hello & welcome');
  });
});
