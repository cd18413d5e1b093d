import { isIP } from 'node:net';

/**
 * The client's address. Behind `trustedHops` reverse proxies, the right-most entries of
 * X-Forwarded-For were appended by our own proxies; the one before them is the client.
 * Entries further left were written by the client itself and are never believed.
 */
export function resolveClientIp(remoteAddress: string, forwardedFor: string | null, trustedHops: number): string {
  const direct = normalizeIp(remoteAddress);
  if (trustedHops === 0 || forwardedFor === null) return direct;
  const chain = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // With one trusted proxy, the last entry is what it saw connect to it: the client.
  const candidate = chain[chain.length - trustedHops];
  return candidate !== undefined && isIP(candidate) !== 0 ? normalizeIp(candidate) : direct;
}

function normalizeIp(address: string): string {
  // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
