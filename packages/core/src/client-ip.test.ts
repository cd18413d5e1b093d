import { describe, expect, it } from 'vitest';
import { DEFAULT_IPV6_RATE_LIMIT_PREFIX, normalizeIp, rateLimitSubject, resolveClientIp } from './client-ip.js';
import { ConfigError, loadConfig } from './config.js';

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

describe('normalizeIp: one spelling per address (issue 15, rate-limit keys by text)', () => {
  it('lower-cases and compresses IPv6 to the canonical form', () => {
    expect(normalizeIp('2001:0db8:9::1')).toBe('2001:db8:9::1');
    expect(normalizeIp('2001:DB8:9::1')).toBe('2001:db8:9::1');
    expect(normalizeIp('2001:db8:9:0:0:0:0:1')).toBe('2001:db8:9::1');
    expect(normalizeIp('0:0:0:0:0:0:0:1')).toBe('::1');
  });

  it('strips the port from ip:port, [v6]:port and the brackets from [v6]', () => {
    expect(normalizeIp('198.51.100.7:4711')).toBe('198.51.100.7');
    expect(normalizeIp('[2001:DB8:9::1]:4711')).toBe('2001:db8:9::1');
    expect(normalizeIp('[2001:db8:9::1]')).toBe('2001:db8:9::1');
    expect(normalizeIp(' 198.51.100.7 ')).toBe('198.51.100.7');
  });

  it('unwraps every spelling of an IPv4-mapped IPv6 address', () => {
    expect(normalizeIp('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(normalizeIp('::FFFF:c633:6407')).toBe('198.51.100.7');
    expect(normalizeIp('[::ffff:198.51.100.7]:80')).toBe('198.51.100.7');
  });

  it('drops an IPv6 zone index', () => {
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
  });

  it('refuses what is not one address', () => {
    for (const bad of [
      '',
      'unknown',
      '__proto__',
      '0',
      '198.51.100.7:',
      '198.51.100.7:99999',
      '198.51.100.7:80:80',
      '[198.51.100.7]',
      '[2001:db8::1',
      '2001:db8::1]:80',
      '[2001:db8::1]:x',
      '01.2.3.4',
      '1.2.3.4.5',
      'x'.repeat(10_000),
    ]) {
      expect(normalizeIp(bad), bad).toBeUndefined();
    }
  });
});

describe('resolveClientIp: what proxies actually write', () => {
  it('takes ip:port entries from a trusted proxy as the client address, without the port', () => {
    expect(resolveClientIp('10.0.0.2', '198.51.100.9:4711', 1)).toBe('198.51.100.9');
    expect(resolveClientIp('10.0.0.2', '[2001:DB8::9]:4711', 1)).toBe('2001:db8::9');
  });

  it('normalises the socket address too', () => {
    expect(resolveClientIp('2001:0DB8::0:1', null, 0)).toBe('2001:db8::1');
  });
});

describe('rateLimitSubject: whom a per-IP rule counts', () => {
  it('keys IPv4 by the address', () => {
    expect(rateLimitSubject('198.51.100.7', 64)).toBe('198.51.100.7');
  });

  it('keys IPv6 by its /64 network by default: one subscriber, one window', () => {
    const subject = rateLimitSubject('2001:db8:1:2:aaaa:bbbb:cccc:dddd', DEFAULT_IPV6_RATE_LIMIT_PREFIX);
    expect(subject).toBe('2001:db8:1:2::/64');
    expect(rateLimitSubject('2001:db8:1:2::1', 64)).toBe(subject);
    expect(rateLimitSubject('2001:db8:1:3::1', 64)).not.toBe(subject);
  });

  it('takes other prefixes, including ones that split a group', () => {
    expect(rateLimitSubject('2001:db8:1:2:3:4:5:6', 48)).toBe('2001:db8:1::/48');
    expect(rateLimitSubject('2001:db8:1:2ff:3:4:5:6', 56)).toBe('2001:db8:1:200::/56');
    expect(rateLimitSubject('2001:db8:1:2:3:4:5:6', 128)).toBe('2001:db8:1:2:3:4:5:6');
    expect(rateLimitSubject('2001:db8:ffff:2::1', 33)).toBe('2001:db8:8000::/33');
  });

  it('gives every spelling of one address the same subject', () => {
    const spellings = ['2001:0db8:9::1', '2001:DB8:9::1', '[2001:db8:9::1]:4711', '2001:db8:9:0:0:0:0:1'];
    expect(new Set(spellings.map((ip) => rateLimitSubject(ip, 128)))).toEqual(new Set(['2001:db8:9::1']));
    expect(rateLimitSubject('::ffff:198.51.100.7', 64)).toBe('198.51.100.7');
  });

  it('passes through what is not an address (an adapter that could not tell) unchanged', () => {
    expect(rateLimitSubject('', 64)).toBe('');
  });
});

describe('GATEHOUSE_IPV6_RATE_LIMIT_PREFIX', () => {
  const env = { GATEHOUSE_SECRET: 's'.repeat(40), LOG_LEVEL: 'silent' };

  it('defaults to /64 and takes 32..128', () => {
    expect(loadConfig(env).ipv6RateLimitPrefix).toBe(64);
    expect(loadConfig({ ...env, GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: '48' }).ipv6RateLimitPrefix).toBe(48);
    expect(loadConfig({ ...env, GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: '128' }).ipv6RateLimitPrefix).toBe(128);
  });

  it('refuses a prefix outside 32..128 at start-up', () => {
    for (const bad of ['31', '129', '0', '64.5', 'abc', '-64']) {
      expect(() => loadConfig({ ...env, GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: bad }), bad).toThrow(ConfigError);
    }
  });
});
