import { decodeContinuation, type StreamOrder, type StreamPosition } from './continuation.js';
import { badRequest } from './protocol-errors.js';
import type { RequestParams } from './request-params.js';
import { READING_LIST } from './stream-ids.js';

/** How many items one page may hold: full items are heavy, ids are not. */
export const MAX_ITEMS_PER_PAGE = 1000;
/** NetNewsWire asks for n=10000 unread and starred ids in one go; refusing it breaks sync. */
export const MAX_IDS_PER_PAGE = 10_000;
const DEFAULT_PAGE_SIZE = 20;
/** Each filter is a look-up and a condition; real clients send one or two. */
const MAX_FILTERS = 10;

/** A listing request's modifiers, validated: what stream-query.ts turns into SQL. */
export interface StreamListing {
  limit: number;
  order: StreamOrder;
  after: StreamPosition | undefined;
  /** `ot`: only items published at or after this time (ms). */
  since: number | undefined;
  /** `nt`: only items published before this time (ms). */
  until: number | undefined;
  /** `it`: items must be in all of these streams (ids as sent; stream-scope.ts resolves them). */
  include: string[];
  /** `xt`: items must be in none of these streams. */
  exclude: string[];
}

/** Seconds since the epoch, fractional allowed (NetNewsWire sends a Double's text). */
const SECONDS = /^\d{1,12}(?:\.\d{1,9})?$/u;

export function parseListing(params: RequestParams, maxPageSize: number): StreamListing {
  const order = parseOrder(params.get('r'));
  const continuation = params.get('c');
  let after: StreamPosition | undefined;
  if (continuation !== undefined) {
    after = decodeContinuation(order, continuation);
    if (after === undefined) throw badRequest('InvalidContinuation', 'Use the continuation of the previous page.');
  }
  const include = params.all('it');
  const exclude = params.all('xt');
  if (include.length + exclude.length > MAX_FILTERS) {
    throw badRequest('InvalidParameter', `At most ${String(MAX_FILTERS)} it and xt filters.`);
  }
  return {
    limit: parsePageSize(params.get('n'), maxPageSize),
    order,
    after,
    since: parseSeconds('ot', params.get('ot')),
    until: parseSeconds('nt', params.get('nt')),
    include,
    exclude,
  };
}

function parsePageSize(value: string | undefined, max: number): number {
  if (value === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  const n = /^\d{1,7}$/u.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw badRequest('InvalidParameter', `n must be a whole number from 1 to ${String(max)}.`);
  return n;
}

/** `r=o` is oldest first; `d` and `n` (and nothing) are newest first, as Google had it. */
function parseOrder(value: string | undefined): StreamOrder {
  if (value === undefined || value === 'd' || value === 'n') return 'newest';
  if (value === 'o') return 'oldest';
  throw badRequest('InvalidParameter', 'r must be o (oldest first) or d (newest first).');
}

function parseSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!SECONDS.test(value)) throw badRequest('InvalidParameter', `${name} must be a time in seconds since 1970.`);
  return Math.floor(Number(value) * 1000);
}

/**
 * The stream a request names: in the path (percent-encoded, so a feed URL's slashes
 * survive), else in `s`. Missing means the reading list, as for older clients (EasyRSS).
 */
export function requestedStream(pathStream: string | undefined, params: RequestParams): string {
  return pathStream ?? params.get('s') ?? READING_LIST;
}
