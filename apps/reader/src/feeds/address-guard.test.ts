import { describe, expect, it } from 'vitest';
import { refusedAddressReason } from './address-guard.js';

describe('refusedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private (unique local)'],
    ['fd00:ec2::254', 'private (unique local)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata)'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  // Translation and tunnel prefixes carry an IPv4 address (or a route to one) that a
  // translator on the path, not this check, would decide: refused whole, whatever they embed.
  it.each([
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::ffff:0:8.8.8.8', 'IPv4-translated (SIIT)'],
    ['::ffff:0:7f00:1', 'IPv4-translated (SIIT)'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['64:ff9b:1:ffff::a00:1', 'local-use NAT64'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ])('refuses ::ffff:0:0/96, 64:ff9b:1::/48, 2001::/32: %s (%s)', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.215.14',
    '1.1.1.1',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '64:ff9b::808:808',
    '2001:4860:4860::8888',
  ])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeUndefined();
  });

  it('refuses what is not an IP address at all', () => {
    expect(refusedAddressReason('localhost')).toBe('not an IP address');
    expect(refusedAddressReason('')).toBe('not an IP address');
  });
});
