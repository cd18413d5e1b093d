import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixture-feed-server.js';
import { decodeDocument } from './charset.js';
import { firstContentImage } from './item-image.js';
import { parseFeedDocument } from './parse-feed.js';
import { prepareItems } from './prepare-items.js';

/** The stored thumbnail of each item of a fixture feed, by guid: what ingest keeps. */
function imagesOf(name: string, url: string): Record<string, string | null> {
  const feed = parseFeedDocument(decodeDocument(fixture(name), null), url);
  const prepared = prepareItems(feed.items, Date.parse('2024-06-01T00:00:00Z'));
  return Object.fromEntries(prepared.map((item) => [item.dedupKey.replace(/^guid:/u, ''), item.imageUrl]));
}

describe('the thumbnail an item gets at ingest', () => {
  it('RSS: media:thumbnail first, then a media:content image, then an image enclosure, then the content', () => {
    expect(imagesOf('images-rss.xml', 'https://pics.example/feed.xml')).toEqual({
      thumbnail: 'https://cdn.pics.example/thumb.jpg',
      content: 'https://cdn.pics.example/photo.png',
      // Stored as the feed wrote it, http included: the media proxy mode decides when it is served.
      enclosure: 'http://cdn.pics.example/cover.webp',
      // Past the 1×1 tracking pixel and the data: image, resolved against the item's link.
      'first-img': 'https://pics.example/images/first.jpg?a=1&b=2',
      relative: 'https://pics.example/thumbs/relative.jpg',
      // javascript:, data: and file: are never a picture; the content's https image is.
      schemes: 'https://cdn.pics.example/safe.jpg',
      none: null,
    });
  });

  it('Atom: a media:group thumbnail (YouTube), an image enclosure link, the content', () => {
    expect(imagesOf('images-atom.xml', 'https://atom-pics.example/feed.atom')).toEqual({
      'urn:pics:video': 'https://i.atom-pics.example/vi/1/hqdefault.jpg',
      'urn:pics:enclosure': 'https://atom-pics.example/covers/2.jpg',
      'urn:pics:content': 'https://atom-pics.example/inline.png',
    });
  });

  it('JSON Feed: image, then banner_image, then an image attachment, then the content', () => {
    expect(imagesOf('images.json', 'https://json-pics.example/feed.json')).toEqual({
      image: 'https://json-pics.example/main.jpg',
      banner: 'https://json-pics.example/banner.jpg',
      attachment: 'https://json-pics.example/cover.gif',
      content: 'https://json-pics.example/posts/pictures/inline.jpg',
    });
  });

  it('RSS 1.0 / RDF: media:thumbnail, then the content', () => {
    expect(imagesOf('images.rdf', 'https://rdf-pics.example/index.rdf')).toEqual({
      'https://rdf-pics.example/a': 'https://rdf-pics.example/a.jpg',
      'https://rdf-pics.example/b': 'https://rdf-pics.example/b.jpg',
    });
  });

  it('a feed without pictures gives every item null', () => {
    expect(Object.values(imagesOf('rss2.xml', 'https://rss.example/feed.xml'))).toEqual([null, null]);
  });
});

describe('firstContentImage', () => {
  it.each([
    ['no image', '<p>text</p>', null],
    [
      'entities in the address',
      '<img src="https://a.example/x?a=1&amp;b=&quot;2&quot;" />',
      'https://a.example/x?a=1&b=%222%22',
    ],
    [
      'a 0-pixel-high image before a real one',
      '<img src="https://t.example/p" height="0" /><img src="https://a.example/b" />',
      'https://a.example/b',
    ],
    ['a 1px-wide image', '<img src="https://t.example/p" width="1px" />', null],
    ['an image with no src', '<img alt="x" /><img src="https://a.example/c" />', 'https://a.example/c'],
    ['a relative src (never in sanitized HTML)', '<img src="/relative.png" />', null],
    ['srcset is not src', '<img srcset="https://a.example/s 2x" />', null],
  ])('%s', (_name, html, expected) => {
    expect(firstContentImage(html)).toBe(expected);
  });
});
