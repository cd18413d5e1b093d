/**
 * The stable code and parameters of each sentence the reader's API shows a user about a
 * feed: a subscription's last fetch error, why a subscribe or an OPML entry failed, why an
 * OPML file was refused. The English text stays in the API as it was; the code beside it
 * lets a client say the same in the user's language (web: reader:serverMessage.<code>),
 * and a client that does not know a code shows the text.
 *
 * Read from the text, not carried from where it was written: a subscription's last error
 * is stored as its sentence, so one table serves what was stored yesterday and what fails
 * now. Policy as data: a sentence added elsewhere without a row here is shown in English,
 * and message-codes.test.ts names it.
 */

export interface CodedMessage {
  code: MessageCode;
  /** What the sentence names (an HTTP status, a limit, a URL), to put into the translation. */
  params: Record<string, string>;
}

const MESSAGES = [
  // Fetch failures (feeds/fetcher.ts, fetch-policy.ts, parse-feed.ts, service/).
  ['non_public', /^Could not fetch a feed from that address\.$/u],
  ['timeout', /^No complete answer within (?<limit>.+)\.$/u],
  ['redirect_without_location', /^HTTP (?<status>\d{3}) without a Location\.$/u],
  ['too_many_redirects', /^More than (?<max>\d+) redirects\.$/u],
  ['http_status', /^The server answered HTTP (?<status>\d{3})\.$/u],
  ['too_large', /^The document is larger than (?<limit>.+)\.$/u],
  ['host_not_found', /^The host name does not resolve\.$/u],
  ['connection_refused', /^The server refused the connection\.$/u],
  ['corrupt_compression', /^The compressed body is corrupt\.$/u],
  ['unreachable', /^The server could not be reached\.$/u],
  ['unsupported_encoding', /^Unsupported Content-Encoding (?<encoding>.+)\.$/u],
  ['invalid_redirect', /^A redirect pointed to an invalid URL\.$/u],
  ['not_a_feed', /^This is not an RSS, Atom or JSON feed\.$/u],
  ['malformed', /^The feed is malformed and could not be read\.$/u],
  ['invalid_url', /^"(?<url>.*)" is not a valid URL\.$/su],
  ['unsupported_scheme', /^Only http and https URLs can be fetched, not (?<scheme>.+)$/u],
  ['credentials_in_url', /^URLs with a user name or password are not accepted\.$/u],
  ['processing_failed', /^The feed could not be processed\.$/u],
  ['no_feed_found', /^This page is not a feed and does not link to one \(<link rel="alternate">\)\.$/u],
  ['unexpected_not_modified', /^The server answered 304 to a plain request\.$/u],
  // A site page whose announced feed failed: the feed's own reason follows (see below).
  ['linked_feed_failed', /^The page links to a feed, but: (?<reason>.+)$/su],
  // OPML entries (service/opml-importer.ts).
  ['duplicate_in_file', /^Listed more than once in the file\.$/u],
  ['already_subscribed', /^Already subscribed\.$/u],
  // OPML files refused whole (opml/opml-parse.ts).
  ['opml_incomplete', /^The file is not complete OPML: it does not end with <\/opml>\.$/u],
  // What is wrong (saxes' words: "line 3, column 7: unclosed tag: body") stays as the parser wrote it.
  ['opml_not_well_formed', /^The file is not valid OPML: its XML is not well-formed \((?<problem>.+)\)\.$/su],
  ['opml_invalid', /^The file is not valid OPML \(an XML document with <opml><body><outline …>\)\.$/u],
  ['opml_too_deep', /^Outlines are nested more than (?<depth>\d+) deep\.$/u],
  ['opml_too_many', /^The file lists more than (?<max>\d+) feeds\.$/u],
] as const;

export type MessageCode = (typeof MESSAGES)[number][0];

/** Every code a client may receive, for the test that each has its translations. */
export const MESSAGE_CODES: readonly MessageCode[] = MESSAGES.map(([code]) => code);

/**
 * The code of a sentence, or null for one this table does not know (the client then shows
 * the sentence itself). A linked feed's failure carries the feed's own reason as
 * `reasonCode` plus that reason's parameters; unknown inside, the whole is unknown.
 */
export function codeMessage(text: string): CodedMessage | null {
  for (const [code, pattern] of MESSAGES) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const { reason, ...params } = match.groups ?? {};
    if (reason === undefined) return { code, params };
    const inner = codeMessage(reason);
    return inner === null ? null : { code, params: { ...inner.params, reasonCode: inner.code } };
  }
  return null;
}

/** A problem's extensions naming its reason: `reason` (the code) and `reasonParams`; none when unknown. */
export function reasonExtensions(text: string): Record<string, unknown> {
  const coded = codeMessage(text);
  return coded === null ? {} : { reason: coded.code, reasonParams: coded.params };
}
