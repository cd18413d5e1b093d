/**
 * Continuation tokens for stream listings: the position of the last item sent, as a
 * (published_at, id) pair, plus the direction it was sent in. Keyset paging, not an offset:
 * items that arrive between two pages land before or after the position and can neither
 * push an item onto the next page a second time nor push one past it unseen.
 */

export type StreamOrder = 'newest' | 'oldest';

export interface StreamPosition {
  publishedAt: number;
  id: number;
}

const DIRECTION_MARK: Record<StreamOrder, string> = { newest: 'd', oldest: 'o' };
const FORMAT = /^([do])\.(-?\d{1,16})\.(\d{1,16})$/u;

/** Opaque to clients (base64url), but nothing secret: it only names an item they were sent. */
export function encodeContinuation(order: StreamOrder, position: StreamPosition): string {
  const text = `${DIRECTION_MARK[order]}.${String(position.publishedAt)}.${String(position.id)}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The position, or undefined for anything we did not write, and for a token from a listing
 * in the other direction: resuming an oldest-first walk with a newest-first token would
 * silently skip everything in between.
 */
export function decodeContinuation(order: StreamOrder, token: string): StreamPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,80}$/u.test(token)) return undefined;
  const match = FORMAT.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (match?.[1] !== DIRECTION_MARK[order]) return undefined;
  const publishedAt = Number(match[2]);
  const id = Number(match[3]);
  if (!Number.isSafeInteger(publishedAt) || !Number.isSafeInteger(id)) return undefined;
  return { publishedAt, id };
}
