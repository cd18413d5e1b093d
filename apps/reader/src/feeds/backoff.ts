/** When to fetch a feed next: the normal interval, backoff after errors, Retry-After. */

export const DEFAULT_FETCH_INTERVAL_MS = 30 * 60 * 1000;
export const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;
/** "Refresh now" can't be used to hammer a site (or to make us do it). */
export const MIN_REFRESH_GAP_MS = 60 * 1000;

/** Doubles with each consecutive failure (1 → 2× interval, 2 → 4×, …), capped at a day. */
export function errorBackoffMs(consecutiveErrors: number, intervalMs = DEFAULT_FETCH_INTERVAL_MS): number {
  const exponent = Math.min(Math.max(consecutiveErrors, 1), 20);
  return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** exponent);
}

/**
 * A Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a delay from
 * `now`, capped at a day so one bad header can't silence a feed for ever. Undefined when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/u.test(value)) return Math.min(Number(value) * 1000, MAX_BACKOFF_MS);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(date - now, 0), MAX_BACKOFF_MS);
}
