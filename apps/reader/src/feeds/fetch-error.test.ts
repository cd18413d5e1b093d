import { describe, expect, it } from 'vitest';
import { FetchError, NON_PUBLIC_FAILURE, userFacingMessage } from './fetch-error.js';

describe('userFacingMessage', () => {
  it.each([
    new FetchError('timeout', 'No complete answer within 15 s.'),
    new FetchError('network', 'The server refused the connection.'),
    new FetchError('http_status', 'The server answered HTTP 404.', { status: 404 }),
    new FetchError('not_a_feed', 'This is not an RSS, Atom or JSON feed.'),
    new FetchError('invalid_url', 'Only http and https URLs can be fetched, not ftp:'),
  ])('keeps the precise reason of a failure at a public address: $message', (error) => {
    expect(userFacingMessage(error)).toBe(error.message);
  });

  it.each([
    new FetchError('refused', '10.0.0.1 is a private address: the reader does not fetch from there.'),
    new FetchError('timeout', 'No complete answer within 15 s.', { nonPublic: true }),
    new FetchError('network', 'The server refused the connection.').asNonPublic(),
    new FetchError('not_a_feed', 'This is not an RSS, Atom or JSON feed.').asNonPublic(),
  ])('gives one sentence for any failure at a non-public destination: $message', (error) => {
    expect(userFacingMessage(error)).toBe(NON_PUBLIC_FAILURE);
  });

  it('keeps kind, message and details when marking a failure non-public', () => {
    const cause = new Error('underlying');
    const marked = new FetchError('http_status', 'HTTP 429', { status: 429, retryAfterMs: 5, cause }).asNonPublic();
    expect(marked).toMatchObject({ kind: 'http_status', message: 'HTTP 429', cause });
    expect(marked.details).toEqual({ status: 429, retryAfterMs: 5, cause, nonPublic: true });
  });
});
