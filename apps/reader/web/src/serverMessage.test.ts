import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeMessage, MESSAGE_CODES } from '../../src/routes/message-codes';
import { KNOWN_CODES, serverMessage, translateServerMessage } from './serverMessage';

/** One sentence of each code, as the server writes it. */
const SENTENCES: Record<string, string> = {
  non_public: 'Could not fetch a feed from that address.',
  timeout: 'No complete answer within 15 s.',
  redirect_without_location: 'HTTP 301 without a Location.',
  too_many_redirects: 'More than 5 redirects.',
  http_status: 'The server answered HTTP 404.',
  too_large: 'The document is larger than 5 MiB.',
  host_not_found: 'The host name does not resolve.',
  connection_refused: 'The server refused the connection.',
  corrupt_compression: 'The compressed body is corrupt.',
  unreachable: 'The server could not be reached.',
  unsupported_encoding: 'Unsupported Content-Encoding zstd.',
  invalid_redirect: 'A redirect pointed to an invalid URL.',
  not_a_feed: 'This is not an RSS, Atom or JSON feed.',
  malformed: 'The feed is malformed and could not be read.',
  invalid_url: '"htp//example" is not a valid URL.',
  unsupported_scheme: 'Only http and https URLs can be fetched, not ftp:',
  credentials_in_url: 'URLs with a user name or password are not accepted.',
  processing_failed: 'The feed could not be processed.',
  no_feed_found: 'This page is not a feed and does not link to one (<link rel="alternate">).',
  unexpected_not_modified: 'The server answered 304 to a plain request.',
  linked_feed_failed: 'The page links to a feed, but: The server answered HTTP 410.',
  duplicate_in_file: 'Listed more than once in the file.',
  already_subscribed: 'Already subscribed.',
  opml_incomplete: 'The file is not complete OPML: it does not end with </opml>.',
  opml_not_well_formed:
    'The file is not valid OPML: its XML is not well-formed (line 1, column 9: unclosed tag: body).',
  opml_invalid: 'The file is not valid OPML (an XML document with <opml><body><outline …>).',
  opml_too_deep: 'Outlines are nested more than 20 deep.',
  opml_too_many: 'The file lists more than 2000 feeds.',
};

function strings(language: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./i18n/locales/${language}/reader.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

let english: TFunction;
let chinese: TFunction;

beforeAll(async () => {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { reader: strings('en') }, 'zh-CN': { reader: strings('zh-CN') } },
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  english = instance.getFixedT('en');
  chinese = instance.getFixedT('zh-CN');
});

/** What the page says for a sentence the server wrote: its code and parameters, read as the server reads them. */
function said(t: TFunction, sentence: string): string {
  const coded = codeMessage(sentence);
  return serverMessage(t, coded?.code, coded?.params, sentence);
}

describe('serverMessage', () => {
  it('knows exactly the codes the server sends, and has a sentence of each here', () => {
    expect([...KNOWN_CODES].sort()).toEqual([...MESSAGE_CODES].sort());
    expect(Object.keys(SENTENCES).sort()).toEqual([...MESSAGE_CODES].sort());
  });

  // Word for word, but for a next step the page may add after it (non_public: ask the administrator).
  it.each(Object.entries(SENTENCES))('says %s in English as the server does', (_code, sentence) => {
    expect(said(english, sentence).startsWith(sentence), said(english, sentence)).toBe(true);
  });

  it.each(Object.entries(SENTENCES))('says %s in Chinese, with what it names', (code, sentence) => {
    const chineseText = said(chinese, sentence);
    expect(chineseText).not.toBe(sentence);
    expect(chineseText).toMatch(/\p{Script=Han}/u);
    for (const value of Object.values(codeMessage(sentence)?.params ?? {})) {
      // A linked feed's inner code is not shown; its own parameters are.
      if (code === 'linked_feed_failed' && value === 'http_status') continue;
      expect(chineseText).toContain(value);
    }
  });

  it('says a linked feed’s failure with the feed’s reason inside', () => {
    expect(said(chinese, SENTENCES.linked_feed_failed ?? '')).toBe(
      '该页面链接了一个订阅源，但：服务器返回了 HTTP 410。',
    );
  });

  it('shows the server’s text for a code it does not know, a missing one, or a linked one with no known reason', () => {
    expect(serverMessage(chinese, 'new_in_a_later_server', {}, 'Something new.')).toBe('Something new.');
    expect(serverMessage(chinese, null, {}, 'Old words.')).toBe('Old words.');
    expect(serverMessage(chinese, 'constructor', {}, 'Prototype.')).toBe('Prototype.');
    expect(translateServerMessage(chinese, 'linked_feed_failed', { reasonCode: 'nope' })).toBeUndefined();
    // A forged answer naming the linked code inside itself: no loop, the text.
    expect(serverMessage(chinese, 'linked_feed_failed', { reasonCode: 'linked_feed_failed' }, 'Linked.')).toBe(
      'Linked.',
    );
  });

  it('takes parameters only as words to put in, never as i18next options', () => {
    expect(translateServerMessage(chinese, 'http_status', { status: '404', lng: 'en', count: '2' })).toBe(
      '服务器返回了 HTTP 404。',
    );
  });
});
