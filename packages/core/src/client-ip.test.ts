import { describe, expect, it } from 'vitest';
import { resolveClientIp } from './client-ip.js';

describe('resolveClientIp', () => {
  it('uses the socket address when no proxy is trusted, ignoring a spoofed X-Forwarded-For', () => {
    expect(resolveClientIp('203.0.113.7', '198.51.100.1', 0)).toBe('203.0.113.7');
  });

  it('takes the address our one trusted proxy saw, not what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the real peer.
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 198.51.100.9', 1)).toBe('198.51.100.9');
  });

  it('counts hops from the right with two trusted proxies', () => {
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 198.51.100.9, 10.0.0.1', 2)).toBe('198.51.100.9');
  });

  it('falls back to the socket address for a short or garbage header', () => {
    expect(resolveClientIp('10.0.0.2', 'not-an-ip', 1)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '', 1)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '198.51.100.9', 2)).toBe('10.0.0.2');
  });

  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(resolveClientIp('::ffff:127.0.0.1', null, 0)).toBe('127.0.0.1');
  });
});
