import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a feed fetch may never connect to: the server's own loopback, the
 * private networks it sits in, link-local (where cloud metadata services answer, at
 * 169.254.169.254 and fd00:ec2::254), and addresses that are not a single public host.
 * A feed URL is chosen by any user, so without this a subscription is a request forgery
 * against whatever the server can reach (SSRF). Policy as data: [range, what it is].
 */
const REFUSED_RANGES: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  // IPv4-compatible (deprecated): ::a.b.c.d would otherwise reach an IPv4 host unchecked.
  ['::/96', 'IPv4-compatible'],
  ['100::/64', 'discard'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
  // Translation and tunnel prefixes: the host they reach is decided by a translator or relay
  // on the path, not by this check, so an embedded public-looking IPv4 proves nothing.
  // Refused whole (SSRF through address translation; decision 0013 §2). Private IPv4s inside
  // the first one are named by the IPv4 rows above, which BlockList also applies to it.
  // IPv4-mapped (RFC 4291 §2.5.5.2): a socket-API form, never a real IPv6 host; a public
  // IPv4 host is reached by its IPv4 address.
  ['::ffff:0:0/96', 'IPv4-mapped'],
  // IPv4-translated, ::ffff:0:a.b.c.d (SIIT, RFC 6145 with RFC 2765's format): a SIIT
  // translator turns it into a.b.c.d, which may be 127.0.0.1 or 10.x.
  ['::ffff:0:0:0/96', 'IPv4-translated (SIIT)'],
  // Local-use NAT64 prefix (RFC 8215): the operator's own translator, with an embedding
  // (RFC 6052 §2.2) at a prefix length only the operator knows, so it cannot be unwrapped.
  ['64:ff9b:1::/48', 'local-use NAT64'],
  // Teredo (RFC 4380): a tunnel whose server and client IPv4 addresses are in the address
  // (the client's obfuscated); a relay would carry the request to them.
  ['2001::/32', 'Teredo'],
];

const BLOCK_LISTS = REFUSED_RANGES.map(([range, label]) => {
  const [network = '', prefix = ''] = range.split('/');
  const family = isIP(network);
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
  return { list, label, family };
});

/**
 * Why a connection to `address` is refused, or undefined if it is a public address.
 * IPv4 inside IPv6 is checked as the IPv4 it carries: BlockList already maps ::ffff:a.b.c.d
 * (then refused whole as IPv4-mapped if that IPv4 is public); the well-known NAT64 prefix
 * (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16) are unwrapped here. The translation prefixes
 * that cannot be unwrapped (SIIT, local-use NAT64, Teredo) are refused whole, above.
 */
export function refusedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const { list, label, family: ruleFamily } of BLOCK_LISTS) {
    // BlockList matches every IPv4 address against an IPv6 ::ffff:0:0/96 rule (it maps them
    // first): IPv6 rules are for IPv6 addresses only, or 8.8.8.8 would be "IPv4-mapped".
    if (family === 4 && ruleFamily === 6) continue;
    if (list.check(address, type)) return label;
  }
  if (family === 6) {
    const embedded = embeddedIPv4(address);
    if (embedded !== undefined) return refusedAddressReason(embedded);
  }
  return undefined;
}

/** The IPv4 address inside a NAT64 or 6to4 address. */
function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (words === undefined) return undefined;
  const isNat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0);
  if (isNat64) return wordsToIPv4(words[6] ?? 0, words[7] ?? 0);
  if (words[0] === 0x2002) return wordsToIPv4(words[1] ?? 0, words[2] ?? 0);
  return undefined;
}

function wordsToIPv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of an IPv6 address (`isIP` has already said it is one). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/u.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const headWords = parse(head);
  const tailWords = tail === undefined ? [] : parse(tail);
  const zeros = 8 - headWords.length - tailWords.length;
  if (zeros < 0) return undefined;
  return [...headWords, ...new Array<number>(zeros).fill(0), ...tailWords];
}
