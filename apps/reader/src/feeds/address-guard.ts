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
];

const BLOCK_LISTS = REFUSED_RANGES.map(([range, label]) => {
  const [network = '', prefix = ''] = range.split('/');
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return { list, label };
});

/**
 * Why a connection to `address` is refused, or undefined if it is a public address.
 * IPv4 inside IPv6 is checked as the IPv4 it carries: BlockList already maps ::ffff:a.b.c.d;
 * NAT64 (64:ff9b::/96) and 6to4 (2002::/16) are unwrapped here.
 */
export function refusedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const { list, label } of BLOCK_LISTS) {
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
