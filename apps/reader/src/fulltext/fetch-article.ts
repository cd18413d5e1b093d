import { decodeDocument } from '../feeds/charset.js';
import { FetchError, NON_PUBLIC_FAILURE, userFacingMessage } from '../feeds/fetch-error.js';
import type { FeedFetcher } from '../feeds/fetcher.js';
import { extractArticle, type ExtractedArticle } from './extract-article.js';

/** Why an item has no full text; stable (stored, and the problem's `reason`). */
export type FullTextFailureReason = 'unreachable' | 'not_html' | 'no_article';

/** All a user hears about a page at a destination that is not public (decision 0013 §2). */
export const NON_PUBLIC_PAGE = 'Could not fetch a page from that address.';

export class FullTextFailure extends Error {
  override readonly name = 'FullTextFailure';

  constructor(
    readonly reason: FullTextFailureReason,
    /** What the user may be told. */
    readonly userMessage: string,
    /** The precise reason, for the operator's log, when the user is told less. */
    readonly logMessage?: string,
  ) {
    super(logMessage ?? userMessage);
  }
}

const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9';
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Fetches an item's page through the feed fetcher (the SSRF guard on the URL, every redirect
 * and the connected address; its size cap and deadline) and extracts its article. Only HTML
 * is read: a PDF, an image or a feed is refused, not fed to the HTML parser. Throws
 * FullTextFailure for every way a page can fail.
 */
export async function fetchArticle(fetcher: FeedFetcher, url: string): Promise<ExtractedArticle> {
  let result;
  try {
    result = await fetcher.fetch({ url, accept: HTML_ACCEPT });
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const message = userFacingMessage(error);
    // Refused, allow-listed or unresolvable: "refused" and "timed out" told apart there
    // would be a port scan of the server's own network (SSRF as an oracle).
    if (message === NON_PUBLIC_FAILURE) throw new FullTextFailure('unreachable', NON_PUBLIC_PAGE, error.message);
    throw new FullTextFailure('unreachable', message);
  }
  // Without a validator in the request no server may answer 304; one that does sent no page.
  if (result.status !== 'ok') throw new FullTextFailure('unreachable', 'The server sent no page.');
  // What a non-public host served is not told either: "not HTML" would confirm it is there.
  const fail = (reason: FullTextFailureReason, message: string) =>
    result.nonPublic
      ? new FullTextFailure('unreachable', NON_PUBLIC_PAGE, message)
      : new FullTextFailure(reason, message);

  const mediaType = (result.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!HTML_TYPES.has(mediaType)) {
    throw fail(
      'not_html',
      `The link leads to ${mediaType === '' ? 'a file of no declared type' : mediaType}, not a web page.`,
    );
  }
  const article = extractArticle(decodeDocument(result.body, result.contentType), result.url);
  if (article === undefined) throw fail('no_article', 'No article could be found on the page.');
  return article;
}
