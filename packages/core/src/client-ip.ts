import { isIP } from 'node:net';

/**
 * The IPv6 prefix per-IP rate limits count by when GATEHOUSE_IPV6_RATE_LIMIT_PREFIX is unset:
 * a subscriber is normally given a whole /64 (RFC 6177), so one machine can change address
 * inside it at will.
 */
export const DEFAULT_IPV6_RATE_LIMIT_PREFIX = 64;

/**
 * The client's address, normalised (see `normalizeIp`). Behind `trustedHops` reverse proxies,
 * the right-most entries of X-Forwarded-For were appended by our own proxies; the one before
 * them is the client. Entries further left were written by the client itself and are never believed.
 */
export function resolveClientIp(remoteAddress: string, forwardedFor: string | null, trustedHops: number): string {
  const direct = normalizeIp(remoteAddress) ?? remoteAddress;
  if (trustedHops === 0 || forwardedFor === null) return direct;
  const chain = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // With one trusted proxy, the last entry is what it saw connect to it: the client.
  const candidate = chain[chain.length - trustedHops];
  return (candidate === undefined ? undefined : normalizeIp(candidate)) ?? direct;
}

/**
 * One spelling per address, or undefined for anything that is not exactly one address.
 * Rate-limit keys are text, so `2001:0db8::1`, `2001:DB8::1` and `[2001:db8::1]:4711` must
 * come out the same or each spelling gets a fresh window (issue 15, per-IP limits). Accepts
 * what proxies write: `a.b.c.d:port`, `[v6]:port`, `[v6]`; IPv4-mapped IPv6 becomes IPv4.
 */
export function normalizeIp(entry: string): string | undefined {
  const host = withoutPort(entry.trim());
  if (host === undefined) return undefined;
  const family = isIP(host);
  if (family === 4) return host;
  if (family !== 6) return undefined;
  // A zone index (fe80::1%eth0) names our own interface, not the client: not part of the key.
  const canonical = canonicalIpv6(host.replace(/%.*$/s, ''));
  if (canonical === undefined) return undefined;
  // The canonical form of ::ffff:a.b.c.d is ::ffff:xxxx:yyyy; a dual-stack socket shows IPv4
  // clients this way, and the same client must not count twice under two families.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped === null) return canonical;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Whom a per-IP rate limit counts: an IPv4 address as it is; an IPv6 address by its network of
 * `ipv6Prefix` bits (`2001:db8:1:2::/64`), because a subscriber holds a whole prefix and could
 * otherwise take a fresh window per address (issue 15). The audit trail and the session list
 * keep the full address; only the limiter's key is widened.
 */
export function rateLimitSubject(ip: string, ipv6Prefix: number): string {
  const address = normalizeIp(ip);
  // Not an address (an adapter that could not tell): the text is all there is to count by.
  if (address === undefined) return ip;
  if (isIP(address) === 4 || ipv6Prefix >= 128) return address;
  const groups = ipv6Groups(address);
  const masked = groups.map((group, index) => {
    const keep = Math.min(16, Math.max(0, ipv6Prefix - index * 16));
    return keep === 0 ? 0 : group & ((0xffff << (16 - keep)) & 0xffff);
  });
  const network = canonicalIpv6(masked.map((group) => group.toString(16)).join(':')) ?? address;
  return `${network}/${String(ipv6Prefix)}`;
}

/** Node's (WHATWG URL's) canonical IPv6 text: lower case, zeros compressed, no dotted quad. */
function canonicalIpv6(address: string): string | undefined {
  try {
    return new URL(`http://[${address}]`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** The eight 16-bit groups of a canonical IPv6 address (hex groups and at most one `::`). */
function ipv6Groups(canonical: string): number[] {
  const [head = '', tail] = canonical.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** `a.b.c.d:port` and `[v6]:port` without the port, `[v6]` without brackets; undefined if malformed. */
function withoutPort(entry: string): string | undefined {
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed !== null) {
    const host = bracketed[1] ?? '';
    return isIP(host) === 6 && validPort(bracketed[2]) ? host : undefined;
  }
  // A port after an IPv4 address; a bare IPv6 address has colons of its own and no port.
  const withPort = /^([0-9.]+):(\d{1,5})$/.exec(entry);
  if (withPort !== null) return validPort(withPort[2]) ? withPort[1] : undefined;
  return entry;
}

function validPort(port: string | undefined): boolean {
  return port === undefined || Number(port) <= 65_535;
}
