import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { OpmlError, parseOpmlEntries } from './opml-parse.js';

const opml = (body: string, prolog = '') =>
  `<?xml version="1.0" encoding="utf-8"?>${prolog}<opml version="2.0"><head><title>Mine</title></head><body>${body}</body></opml>`;

function refusal(text: string): string {
  try {
    parseOpmlEntries(text);
  } catch (error) {
    if (error instanceof OpmlError) return error.message;
    throw error;
  }
  return 'parsed';
}

describe('parseOpmlEntries', () => {
  it('reads feeds with their folder', () => {
    const text = opml(
      '<outline text="News"><outline text="Wire &amp; Co" type="rss" xmlUrl="https://wire.example/feed?a=1&amp;b=2"/></outline><outline title="Loose" text="x" xmlUrl="https://loose.example/"/>',
    );
    expect(parseOpmlEntries(text)).toEqual([
      { url: 'https://wire.example/feed?a=1&b=2', title: 'Wire & Co', folderName: 'News' },
      { url: 'https://loose.example/', title: 'Loose', folderName: null },
    ]);
  });

  it('refuses a file cut off in the middle, and one with a broken element, saying where', () => {
    expect(refusal(opml('<outline xmlUrl="https://a.example/"/>').slice(0, -20))).toContain(
      'not complete OPML: it does not end with </opml>',
    );
    expect(refusal(opml('<outline text="F"><outline xmlUrl="https://a.example/"/>'))).toMatch(
      /^The file is not valid OPML: its XML is not well-formed \(line 1, column \d+: unexpected close tag\)\.$/u,
    );
  });

  describe('entities', () => {
    let server: FixtureFeedServer;
    beforeAll(async () => {
      server = await startFixtureFeedServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('refuses an external entity (XXE) without reading the file or calling the address', async () => {
      const prolog = `<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY % remote SYSTEM "${server.url('/evil.dtd')}"> %remote;]>`;
      const message = refusal(opml('<outline text="&secret;" xmlUrl="https://a.example/"/>', prolog));
      expect(message).toContain('undefined entity');
      expect(message).not.toContain('root:');
      await fetch(server.url('/rss2.xml')); // any request the parser had started has arrived by now
      expect(server.requests('/evil.dtd')).toEqual([]);
    });

    it('refuses an entity bomb (billion laughs) without expanding it', () => {
      const levels = Array.from(
        { length: 9 },
        (_, level) => `<!ENTITY lol${String(level + 1)} "${`&lol${level === 0 ? '' : String(level)};`.repeat(10)}">`,
      );
      const prolog = `<!DOCTYPE opml [<!ENTITY lol "lol">${levels.join('')}]>`;
      expect(refusal(opml('<outline text="&lol9;" xmlUrl="https://a.example/"/>', prolog))).toContain(
        'undefined entity',
      );
    });
  });
});
