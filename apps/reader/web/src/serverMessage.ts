import type { TFunction } from 'i18next';

/**
 * Sentences the server writes about feeds (a fetch error, why a subscribe or an OPML entry
 * failed) come with a stable code and its parameters (server: routes/message-codes.ts).
 * This says them in the page's language; a code this app does not know yet (a newer
 * server) is shown as the server wrote it.
 */

/** Each code's key, written out so the translations test finds every one. */
const KEYS = {
  non_public: 'reader:serverMessage.nonPublic',
  timeout: 'reader:serverMessage.timeout',
  redirect_without_location: 'reader:serverMessage.redirectWithoutLocation',
  too_many_redirects: 'reader:serverMessage.tooManyRedirects',
  http_status: 'reader:serverMessage.httpStatus',
  too_large: 'reader:serverMessage.tooLarge',
  host_not_found: 'reader:serverMessage.hostNotFound',
  connection_refused: 'reader:serverMessage.connectionRefused',
  corrupt_compression: 'reader:serverMessage.corruptCompression',
  unreachable: 'reader:serverMessage.unreachable',
  unsupported_encoding: 'reader:serverMessage.unsupportedEncoding',
  invalid_redirect: 'reader:serverMessage.invalidRedirect',
  not_a_feed: 'reader:serverMessage.notAFeed',
  malformed: 'reader:serverMessage.malformed',
  invalid_url: 'reader:serverMessage.invalidUrl',
  unsupported_scheme: 'reader:serverMessage.unsupportedScheme',
  credentials_in_url: 'reader:serverMessage.credentialsInUrl',
  processing_failed: 'reader:serverMessage.processingFailed',
  no_feed_found: 'reader:serverMessage.noFeedFound',
  unexpected_not_modified: 'reader:serverMessage.unexpectedNotModified',
  linked_feed_failed: 'reader:serverMessage.linkedFeedFailed',
  duplicate_in_file: 'reader:serverMessage.duplicateInFile',
  already_subscribed: 'reader:serverMessage.alreadySubscribed',
  opml_incomplete: 'reader:serverMessage.opmlIncomplete',
  opml_not_well_formed: 'reader:serverMessage.opmlNotWellFormed',
  opml_invalid: 'reader:serverMessage.opmlInvalid',
  opml_too_deep: 'reader:serverMessage.opmlTooDeep',
  opml_too_many: 'reader:serverMessage.opmlTooMany',
} as const;

/** The codes this app can say in every language it speaks. */
export const KNOWN_CODES = Object.keys(KEYS);

export type ServerMessageParams = Readonly<Record<string, string>>;

function keyOf(code: string | null | undefined): string | undefined {
  return code != null && Object.hasOwn(KEYS, code) ? KEYS[code as keyof typeof KEYS] : undefined;
}

/**
 * The sentence of a code in the page's language, or undefined for a code this app does not
 * know. A linked feed's failure names the feed's own reason in `params.reasonCode`.
 */
export function translateServerMessage(
  t: TFunction,
  code: string | null | undefined,
  params: ServerMessageParams | undefined,
): string | undefined {
  const key = keyOf(code);
  if (key === undefined) return undefined;
  // Under `replace`: a parameter can never be taken for one of i18next's options (lng, count…).
  if (code !== 'linked_feed_failed') return t(key, { replace: { ...params } });
  const reasonCode = params?.reasonCode;
  // One level: a server (or a forged answer) naming this code again must not loop.
  const reason = reasonCode === code ? undefined : translateServerMessage(t, reasonCode, params);
  return reason === undefined ? undefined : t(key, { replace: { reason } });
}

/** The server's sentence in the page's language; `text`, as the server wrote it, for an unknown code. */
export function serverMessage(
  t: TFunction,
  code: string | null | undefined,
  params: ServerMessageParams | undefined,
  text: string,
): string {
  return translateServerMessage(t, code, params) ?? text;
}
