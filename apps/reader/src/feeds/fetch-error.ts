/**
 * Why a fetch failed, in words a user can act on. The kind is stable (tests and the
 * scheduler switch on it); the message is what the API shows as a subscription's lastError
 * or a subscribe request's `detail`.
 */
export type FetchErrorKind =
  | 'invalid_url'
  | 'refused'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'http_status'
  | 'network'
  | 'not_a_feed'
  | 'malformed';

export interface FetchErrorDetails {
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
  /**
   * The exchange touched a destination that is not public: an allow-listed host:port, an
   * address the guard refused, or a name that did not resolve. Users then see only
   * NON_PUBLIC_FAILURE (userFacingMessage); the message itself goes to the server log.
   */
  nonPublic?: boolean;
}

export class FetchError extends Error {
  override readonly name = 'FetchError';

  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly details: FetchErrorDetails = {},
  ) {
    super(message, { cause: details.cause });
  }

  /** The same failure, marked as one at a non-public destination. */
  asNonPublic(): FetchError {
    return this.details.nonPublic === true
      ? this
      : new FetchError(this.kind, this.message, { ...this.details, nonPublic: true });
  }
}

/** All a user is told about a failure at a destination that is not public. */
export const NON_PUBLIC_FAILURE = 'Could not fetch a feed from that address.';

/**
 * For the operator, in the server log only: the setting that lets the reader fetch from a
 * refused host, spelled for this host (a bare host would open all its ports; prefer one).
 */
export function allowHostHint(hostname: string, port: string | undefined): string {
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return `To allow a feed server there, start the reader with READER_FETCH_ALLOW_HOSTS=${host}:${port ?? '<port>'}.`;
}

/**
 * What a user may be told about a fetch failure. At a public address, the precise reason
 * (they could fetch that address themselves and see the same). At an address they could not
 * otherwise reach (refused by the guard, allow-listed, or a name that does not resolve in
 * public), one generic sentence: "refused", "timed out", "connection refused", "HTTP 404"
 * and "not a feed" told apart there are a port and path scan of the server's own network,
 * and "10.1.2.3 is a private address" is its internal DNS (SSRF as an oracle; decision
 * 0013 §2). Callers log `error.message` for the operator.
 */
export function userFacingMessage(error: FetchError): string {
  return error.kind === 'refused' || error.details.nonPublic === true ? NON_PUBLIC_FAILURE : error.message;
}

/** The FetchError somewhere in an error's cause chain (undici wraps what a lookup throws). */
export function findFetchError(error: unknown): FetchError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof FetchError) return current;
    current = current.cause;
  }
  return undefined;
}
