import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { decodeDocument } from './charset.js';
import { parseFeedDocument } from './parse-feed.js';
import { prepareItems } from './prepare-items.js';

/*
 * Cases found by running thousands of third-party feeds through the parser (issue 19), each
 * rewritten as a small fixture of our own in test-fixtures/real-world/.
 */

function parseRealWorld(name: string, contentType: string | null = null, replace: (text: string) => string = (t) => t) {
  const text = replace(decodeDocument(fixture(`real-world/${name}`), contentType));
  return parseFeedDocument(text, `https://feeds.example/${name}`);
}

describe('Atom text constructs typed with MIME types', () => {
  const feed = parseRealWorld('atom-mime-types.xml');

  it('reads type="text/html" as HTML: the title as its text, the content as markup', () => {
    expect(feed.title).toBe('Harbour Notes');
    expect(feed.items[0]?.title).toBe('A bold move');
    expect(feed.items[0]?.contentHtml).toBe('<p>The ferry now leaves at <em>seven</em>.</p>');
  });

  it('reads type="application/xhtml+xml" and type="xhtml" as XHTML', () => {
    expect(feed.items[1]?.title).toBe('Tides & timetables');
    expect(feed.items[1]?.contentHtml).toBe('<p>High water at <strong>06:40</strong> &amp; 19:05.</p>');
    expect(feed.items[2]?.title).toBe('Buoy colours');
    expect(feed.items[2]?.contentHtml).toBe('<p>Red to <b>port</b>.</p>');
  });

  it('keeps other types as text, whatever their case, even what looks like an entity reference', () => {
    expect(feed.items[3]?.title).toBe('Plain <3 &amp; the harbour');
    expect(feed.items[3]?.contentHtml).toBe('<p>Bring a coat &#60;not markup&#62;.</p>');
  });
});

describe('titles escaped twice', () => {
  const feed = parseRealWorld('double-escaped-titles.xml');

  it('decodes the entity references left after XML decoding', () => {
    expect(feed.title).toBe('Market Wire & Co');
    expect(feed.items.map((item) => item.title).slice(0, 3)).toEqual([
      'Takeover deal worth £300m agreed',
      'Café chain adds €5 breakfast',
      'AT&T and Q&A; results',
    ]);
  });

  it('never turns a doubly escaped tag into markup', () => {
    expect(feed.items[3]?.title).toBe('&lt;script&gt;alert(1)&lt;/script&gt; and &#60;b&#62;bold&#x3c;/b&#x3E;');
  });
});

it('falls back to dc:title for the channel and items without <title>', () => {
  const feed = parseRealWorld('dc-title.xml');
  expect(feed.title).toBe('Parish Council Minutes');
  expect(feed.items.map((item) => item.title)).toEqual(['Meeting of 4 March: the footpath', 'Meeting of 1 April']);
});

it('reads RFC 822 dates written in other languages', () => {
  const feed = parseRealWorld('localized-dates.xml');
  expect(feed.items.map((item) => [item.guid, item.publishedAt])).toEqual([
    ['bordo-pt', Date.UTC(2018, 8, 24, 10)],
    ['bordo-es', Date.UTC(2019, 0, 15, 17, 30)],
    ['bordo-fr', Date.UTC(2019, 1, 7, 8, 15)],
    ['bordo-de', Date.UTC(2019, 2, 13, 11)],
    ['bordo-it', Date.UTC(2019, 4, 9, 5, 45)],
    ['bordo-nl', Date.UTC(2019, 9, 12, 14, 20)],
    ['bordo-unknown', null],
  ]);
});

describe('UTF-16 without a byte order mark', () => {
  it.each([
    ['utf16le-no-bom.xml', null],
    ['utf16be-no-bom.xml', null],
    // The declaration's bytes can only be UTF-16: a wrong or endian-less charset label loses.
    ['utf16be-no-bom.xml', 'application/rss+xml; charset=utf-16'],
    ['utf16le-no-bom.xml', 'text/xml; charset=utf-8'],
  ])('reads %s (Content-Type %s)', (name, contentType) => {
    const feed = parseRealWorld(name, contentType);
    expect(feed.title).toBe('Ünïcode Ünlimited — 日本語');
    expect(feed.items[0]?.title).toBe('Zwölf Boxkämpfer jagen Viktor');
    expect(feed.items[0]?.contentHtml).toBe('Ærøskøbing, 東京, and 🚲.');
  });
});

it('takes the site link from atom:link rel="alternate" when an RSS channel or item has no <link>', () => {
  const feed = parseRealWorld('atom-link-site.xml');
  expect(feed.siteUrl).toBe('https://feeds.example/diary/');
  expect(feed.items[0]?.url).toBe('https://allotment.example/diary/broad-beans');
});

it('uses itunes:summary, media:description and itunes:subtitle when an item has no description', () => {
  const feed = parseRealWorld('podcast-summaries.xml');
  expect(feed.items.map((item) => item.contentHtml)).toEqual([
    // Plain text: escaped, paragraphs kept.
    '<p>We talk starters, flour and patience.</p><p>Recorded in March.</p>',
    // Markup (sanitized later, like every description).
    '<p>Plums, <b>sugar</b> and a thermometer.</p>',
    '<p>Vinegar &#38; brine, 3 &#60; 4 jars</p>',
    '<p>Shaping a loaf, step by step &#60;no markup here&#62;.</p>',
    '<p>The description wins.</p>',
  ]);
});

it("uses media:group's description when an Atom entry has no content or summary", () => {
  const feed = parseRealWorld('atom-media-group.xml');
  expect(feed.items[0]?.contentHtml).toBe(
    '<p>Flatten the back first.<br>Then the bevel, 25 degrees &#38; a micro-bevel.</p>',
  );
});

describe('DOCTYPE declarations', () => {
  let server: FixtureFeedServer;
  const attackerPaths = ['/xhtml-lat1.ent', '/leak', '/evil.dtd'];
  beforeAll(async () => {
    server = await startFixtureFeedServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const pointedAtServer = (text: string) => text.replace(/(?:DTD|ATTACKER)_HOST/gu, server.host);

  /** Any request the parser had started has reached the server once this round trip is done. */
  async function requestsTo(paths: string[]) {
    await fetch(server.url('/rss2.xml'));
    return paths.flatMap((path) => server.requests(path));
  }

  it('reads a feed whose DOCTYPE declares a parameter entity, without fetching it', async () => {
    const feed = parseRealWorld('doctype-parameter-entity.xml', null, pointedAtServer);
    expect(feed.title).toBe('Café Society');
    expect(feed.items[0]?.title).toBe('Crème brûlée season');
    expect(await requestsTo(attackerPaths)).toEqual([]);
  });

  it('never expands an external entity (XXE): no file read, no request, the reference stays text', async () => {
    const feed = parseRealWorld('external-entity.xml', null, pointedAtServer);
    expect(feed.title).toBe('Leaky &secret;');
    expect(feed.items[0]?.title).toBe('Item &remote;');
    expect(feed.items[0]?.contentHtml).toBe('Before &secret; after');
    expect(JSON.stringify(feed)).not.toContain('root:');
    expect(await requestsTo(attackerPaths)).toEqual([]);
  });

  it('never expands an entity bomb (billion laughs)', () => {
    const feed = parseRealWorld('entity-bomb.xml');
    expect(feed.title).toBe('Laughs &lol9;');
    expect(feed.items[0]?.title).toBe('Short &small; title');
    const [item] = prepareItems(feed.items, 0);
    expect(item?.contentText).toBe('&lol9;&lol9;');
  });
});
