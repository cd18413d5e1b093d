import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixture-feed-server.js';
import { extractArticle } from './extract-article.js';

const PAGE_URL = 'https://gazette.example/2024/01/zeppelin.html';

function extracted(name: string, url = PAGE_URL): string {
  const article = extractArticle(fixture(name).toString('utf8'), url);
  if (article === undefined) throw new Error(`no article found in ${name}`);
  return article.contentHtml;
}

describe('extractArticle on a realistic page', () => {
  const html = extracted('article-page.html');

  it('keeps every paragraph of the article, its figure and its quote', () => {
    expect(html).toContain('FULL ARTICLE FIRST PARAGRAPH.');
    expect(html).toContain('The second paragraph explains the engineering');
    expect(html).toContain('In the third paragraph the volunteers tell their side');
    expect(html).toContain('The last paragraph looks ahead.');
    expect(html).toContain('the most beautiful thing in the city');
    expect(html).toContain('<figcaption>The frame, stripped to its rings');
  });

  it('leaves out the navigation, the ads, the comments and the footer', () => {
    for (const noise of ['SITE NAVIGATION', 'ADVERTISEMENT', 'COMMENT:', 'FOOTER:', 'Most read', 'SHARE ON SOCIAL']) {
      expect(html).not.toContain(noise);
    }
  });

  it('makes relative images and links absolute against the page, as the feed sanitizer does', () => {
    // Stored as found; the media proxy's mode rewrites image addresses when served.
    expect(html).toContain('src="https://gazette.example/images/zeppelin-frame.jpg"');
    expect(html).toContain('href="https://gazette.example/a/volunteers"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('drops the page scripts, classes and ids (the sanitizer’s allow-list)', () => {
    expect(html).not.toMatch(/<script|dataLayer|class=|id=|<form|<input/u);
  });
});

describe('extractArticle sanitizes like feed content', () => {
  // Readability alone drops the frames, objects, forms, styles and meta of this page; what it
  // keeps (handlers, script and data: addresses, script elements, svg, clobbering names) is
  // stopped by the sanitizer, so these cases reach it.
  const html = extracted('article-hostile.html');

  it('keeps the article text', () => {
    expect(html).toContain('HOSTILE ARTICLE TEXT.');
  });

  it.each([
    ['script elements', /<script|__fullTextRan = '(head|body) script'/u],
    ['event handlers', /\son[a-z]+=/iu],
    ['javascript: and data: addresses', /javascript:|java\s*script:|data:text/iu],
    ['style attributes', /style=/u],
    ['frames from other hosts, objects, svg and forms', /<iframe|<object|<svg|<form|<input/u],
    ['meta refresh', /<meta|http-equiv/u],
    ['DOM clobbering names and ids', /name="fetch"|id="csrfToken"/u],
  ])('never lets %s through', (_what, pattern) => {
    expect(html).not.toMatch(pattern);
  });

  it('drops an image whose only source was script, and keeps a harmless one', () => {
    expect(html).not.toContain('alt="bad source"');
    expect(html).toContain('src="https://images.example/ok.png"');
  });
});

describe('extractArticle finds the base a browser would use', () => {
  const page = (head: string) =>
    `<html><head>${head}</head><body><article><p>${'Words, words, words. '.repeat(30)}<a href="next.html">next</a> <img src="pic.png" alt="pic"></p></article></body></html>`;

  it('resolves against the URL the page was fetched from', () => {
    const html = extractArticle(page(''), 'https://blog.example/posts/one/')?.contentHtml;
    expect(html).toContain('href="https://blog.example/posts/one/next.html"');
    expect(html).toContain('src="https://blog.example/posts/one/pic.png"');
  });

  it('follows the page’s own relative <base href>, resolved against its URL', () => {
    const html = extractArticle(page('<base href="/static/">'), 'https://blog.example/posts/one/')?.contentHtml;
    expect(html).toContain('href="https://blog.example/static/next.html"');
  });

  it('ignores a <base> that is not a web address', () => {
    const html = extractArticle(page('<base href="javascript:alert(1)//">'), 'https://blog.example/p/')?.contentHtml;
    expect(html).toContain('href="https://blog.example/p/next.html"');
  });
});

describe('extractArticle on pages without an article', () => {
  it.each([
    ['an empty document', ''],
    ['a page of markup without text', '<html><body><div><img src="a.png"></div></body></html>'],
    ['plain text', 'just some words'],
    ['a menu', '<html><body><nav><a href="/">Home</a> <a href="/about">About us</a></nav></body></html>'],
    [
      'a page that needs script',
      '<html><body><noscript>Please enable JavaScript to read this site.</noscript><div id="root"></div></body></html>',
    ],
  ])('answers undefined for %s', (_what, html) => {
    expect(extractArticle(html, PAGE_URL)).toBeUndefined();
  });

  it('refuses a page with more elements than it will walk, rather than holding the event loop', () => {
    const html = `<html><body><article>${'<p>Words, words.</p>'.repeat(25_000)}</article></body></html>`;
    expect(extractArticle(html, PAGE_URL) === undefined).toBe(true);
  });

  it('reads Chinese pages (Readability counts full-width commas)', () => {
    const html = extracted('article-page-zh.html', 'https://zhoukan.example/a/1');
    expect(html).toContain('正文第一段');
    expect(html).toContain('正文第三段');
    expect(html).not.toContain('评论');
    expect(html).not.toContain('导航栏');
  });
});
