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

export class FetchError extends Error {
  override readonly name = 'FetchError';

  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
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
