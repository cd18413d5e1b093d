import { describe, expect, it } from 'vitest';
import { decodeContinuation, encodeContinuation } from './continuation.js';

describe('continuation tokens', () => {
  it('round-trips a position in its direction', () => {
    const position = { publishedAt: 1_717_243_200_123, id: 42 };
    expect(decodeContinuation('newest', encodeContinuation('newest', position))).toEqual(position);
    expect(decodeContinuation('oldest', encodeContinuation('oldest', position))).toEqual(position);
  });

  it('refuses a token written for the other direction', () => {
    const token = encodeContinuation('newest', { publishedAt: 1, id: 1 });
    expect(decodeContinuation('oldest', token)).toBeUndefined();
  });

  it.each([
    '',
    'garbage',
    '12345',
    '__proto__',
    '!!!',
    'x'.repeat(81),
    Buffer.from('d.1').toString('base64url'),
    Buffer.from('d.1.2.3').toString('base64url'),
    Buffer.from('d.1.-2').toString('base64url'),
    Buffer.from('d.99999999999999999.1').toString('base64url'),
    Buffer.from('d.1.9007199254740993').toString('base64url'),
  ])('refuses %j', (token) => {
    expect(decodeContinuation('newest', token)).toBeUndefined();
  });
});
