import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, userFacingMessage } from '../feeds/fetch-error.js';
import { checkFetchUrl, HostAllowList } from '../feeds/fetch-policy.js';
import { FeedFetcher } from '../feeds/fetcher.js';
import { parseFeedDocument } from '../feeds/parse-feed.js';
import { parseOpmlEntries } from '../opml/opml-parse.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { codeMessage, MESSAGE_CODES, reasonExtensions } from './message-codes.js';

/** The sentence a call fails with, as a user is told it. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FetchError) return userFacingMessage(error);
    if (error instanceof Error) return error.message;
  }
  throw new Error('expected it to fail');
}

async function fetchFailure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof FetchError)) throw new Error(`expected a FetchError, got ${String(error)}`);
  return error;
}

let fixtures: FixtureFeedServer;
let fetcher: FeedFetcher;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fixtures.route('/no-location', (_request, response) => {
    response.writeHead(302).end();
  });
  fixtures.route('/zstd.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'zstd' }).end('x');
  });
  fetcher = new FeedFetcher({ allowHosts: [fixtures.host], timeoutMs: 5000, maxBytes: 64 * 1024, maxRedirects: 2 });
});

afterAll(async () => {
  await fetcher.close();
  await fixtures.close();
});

const noHosts = new HostAllowList([]);
const OPML_HEAD = '<?xml version="1.0"?><opml version="2.0"><head/><body>';

describe('codeMessage', () => {
  // Each sentence as the code that writes it writes it: a sentence changed there without its
  // row in message-codes.ts (and its translations) fails here, instead of showing English.
  it('names every sentence the URL check, the parser and the OPML reader write', () => {
    const sentences = {
      invalid_url: failure(() => checkFetchUrl('not a url', noHosts)),
      unsupported_scheme: failure(() => checkFetchUrl('ftp://files.example/feed.xml', noHosts)),
      credentials_in_url: failure(() => checkFetchUrl('https://user:secret@example.com/feed', noHosts)),
      non_public: failure(() => checkFetchUrl('http://10.0.0.1/feed', noHosts)),
      not_a_feed: failure(() => parseFeedDocument('just some text', 'https://example.com/')),
      opml_incomplete: failure(() => parseOpmlEntries(`${OPML_HEAD}<outline text="a"`)),
      opml_not_well_formed: failure(() => parseOpmlEntries(`${OPML_HEAD}<outline text="a"></body></opml>`)),
      opml_too_many: failure(() =>
        parseOpmlEntries(
          `${OPML_HEAD}${'<outline type="rss" xmlUrl="https://example.com/f"/>'.repeat(2001)}</body></opml>`,
        ),
      ),
      opml_too_deep: failure(() =>
        parseOpmlEntries(`${OPML_HEAD}${'<outline text="a">'.repeat(22)}${'</outline>'.repeat(22)}</body></opml>`),
      ),
    };
    for (const [code, sentence] of Object.entries(sentences)) {
      expect(codeMessage(sentence)?.code, sentence).toBe(code);
    }
    expect(codeMessage(sentences.unsupported_scheme)?.params).toEqual({ scheme: 'ftp:' });
    expect(codeMessage(sentences.invalid_url)?.params).toEqual({ url: 'not a url' });
    expect(codeMessage(sentences.opml_too_many)?.params).toEqual({ max: '2000' });
    expect(codeMessage(sentences.opml_not_well_formed)?.params.problem).toMatch(/^line 1, column \d+: /u);
  });

  it('names every sentence the fetcher writes about a server', async () => {
    const failures = {
      http_status: await fetchFailure(fetcher.fetch({ url: fixtures.url('/nothing-here.xml') })),
      too_large: await fetchFailure(fetcher.fetch({ url: fixtures.url('/huge.xml') })),
      too_many_redirects: await fetchFailure(fetcher.fetch({ url: fixtures.url('/redirect-loop') })),
      redirect_without_location: await fetchFailure(fetcher.fetch({ url: fixtures.url('/no-location') })),
      unsupported_encoding: await fetchFailure(fetcher.fetch({ url: fixtures.url('/zstd.xml') })),
    };
    // What a public server's subscriber reads; this allow-listed one's reads the generic sentence.
    for (const [code, error] of Object.entries(failures)) {
      expect(codeMessage(error.message)?.code, error.message).toBe(code);
      expect(codeMessage(userFacingMessage(error))?.code).toBe('non_public');
    }
    expect(codeMessage(failures.http_status.message)?.params).toEqual({ status: '404' });
    expect(codeMessage(failures.too_large.message)?.params).toEqual({ limit: '64 KiB' });
  });

  it.each([
    ['http_status', 'The server answered HTTP 404.', { status: '404' }],
    ['too_large', 'The document is larger than 5 MiB.', { limit: '5 MiB' }],
    ['timeout', 'No complete answer within 15 s.', { limit: '15 s' }],
    ['too_many_redirects', 'More than 5 redirects.', { max: '5' }],
    ['redirect_without_location', 'HTTP 301 without a Location.', { status: '301' }],
    ['unsupported_encoding', 'Unsupported Content-Encoding zstd.', { encoding: 'zstd' }],
    ['host_not_found', 'The host name does not resolve.', {}],
    ['connection_refused', 'The server refused the connection.', {}],
    ['corrupt_compression', 'The compressed body is corrupt.', {}],
    ['unreachable', 'The server could not be reached.', {}],
    ['invalid_redirect', 'A redirect pointed to an invalid URL.', {}],
    ['malformed', 'The feed is malformed and could not be read.', {}],
    ['processing_failed', 'The feed could not be processed.', {}],
    ['no_feed_found', 'This page is not a feed and does not link to one (<link rel="alternate">).', {}],
    ['unexpected_not_modified', 'The server answered 304 to a plain request.', {}],
    ['duplicate_in_file', 'Listed more than once in the file.', {}],
    ['already_subscribed', 'Already subscribed.', {}],
    ['opml_invalid', 'The file is not valid OPML (an XML document with <opml><body><outline …>).', {}],
  ])('names %s: "%s"', (code, sentence, params) => {
    expect(codeMessage(sentence)).toEqual({ code, params });
  });

  it('names the failure of a feed a page links to, with the feed’s own reason inside', () => {
    expect(codeMessage('The page links to a feed, but: The server answered HTTP 410.')).toEqual({
      code: 'linked_feed_failed',
      params: { reasonCode: 'http_status', status: '410' },
    });
    // Unknown inside: the whole is unknown (the client shows the text).
    expect(codeMessage('The page links to a feed, but: something new.')).toBeNull();
  });

  it('has no code for a sentence it does not know, nor for a known one with more around it', () => {
    for (const text of ['', 'Something else went wrong.', 'Already subscribed. Twice.', ' Already subscribed.']) {
      expect(codeMessage(text), text).toBeNull();
    }
    expect(reasonExtensions('Something else went wrong.')).toEqual({});
    expect(reasonExtensions('The server answered HTTP 500.')).toEqual({
      reason: 'http_status',
      reasonParams: { status: '500' },
    });
  });

  it('has a translation of every code in every language of the web app', () => {
    const strings = (language: string) =>
      JSON.parse(
        readFileSync(new URL(`../../web/src/i18n/locales/${language}/reader.json`, import.meta.url), 'utf8'),
      ) as { serverMessage: Record<string, string> };
    // The web app's key of a code is its camelCase (web/src/serverMessage.ts maps each).
    const keyOf = (code: string) => code.replace(/_(\w)/gu, (_match, letter: string) => letter.toUpperCase());
    for (const language of ['en', 'zh-CN']) {
      const known = strings(language).serverMessage;
      expect(
        MESSAGE_CODES.filter((code) => known[keyOf(code)] === undefined),
        language,
      ).toEqual([]);
    }
  });
});
