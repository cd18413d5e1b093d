import { isIP } from 'node:net';
import { refusedAddressReason } from './address-guard.js';
import { allowHostHint, FetchError } from './fetch-error.js';

export interface FetchPolicy {
  /**
   * host or host:port entries that may be fetched even though they resolve to a refused
   * address (READER_FETCH_ALLOW_HOSTS, e.g. a loopback fixture server in tests). Empty
   * means none: missing configuration never opens private networks.
   */
  allowHosts: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowHosts: [],
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'GatehouseReader/0.1 (+https://github.com/gatehouse; feed fetcher)',
};

interface AllowEntry {
  hostname: string;
  /** undefined: any port. */
  port: string | undefined;
}

/** The allow-list, parsed once; bad entries fail at start-up, not mid-fetch. */
export class HostAllowList {
  private readonly entries: AllowEntry[];

  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseAllowEntry);
  }

  allowsUrl(url: URL): boolean {
    return this.allows(url.hostname, url.port === '' ? defaultPort(url.protocol) : url.port);
  }

  /**
   * Whether a connection to `hostname`:`port` may reach a refused address. Both halves, every
   * time: an entry "vm:3969" must not let "vm:3968" through (a port scan of an internal host
   * the operator opened one port of; decision 0013 §2). The connector asks this at connect
   * time, when both are known; a DNS lookup alone only knows the name, which is why the
   * exemption is no longer decided there.
   */
  allows(hostname: string, port: string): boolean {
    const host = bare(hostname);
    return this.entries.some((entry) => entry.hostname === host && (entry.port ?? port) === port);
  }
}

/** A host name as compared: lower case, IPv6 without its URL brackets. */
function bare(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/u, '$1');
}

function parseAllowEntry(entry: string): AllowEntry {
  let url: URL;
  try {
    url = new URL(`http://${entry.trim()}`);
  } catch {
    throw new Error(`READER_FETCH_ALLOW_HOSTS: "${entry}" is not a host or host:port`);
  }
  if (url.pathname !== '/' || url.username !== '' || url.search !== '') {
    throw new Error(`READER_FETCH_ALLOW_HOSTS: "${entry}" is not a host or host:port`);
  }
  const explicitPort = /:(\d+)$/u.exec(entry.trim())?.[1];
  return { hostname: bare(url.hostname), port: explicitPort };
}

export function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** "a.example:8080, 127.0.0.1:4010" → entries. */
export function parseAllowHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * Checks a URL before any connection: scheme, credentials, and — when the host is an IP
 * literal, which never goes through DNS and so never reaches the guarded lookup — the
 * address itself. Names ending in .localhost are refused here too (RFC 6761: they are
 * loopback whatever DNS says).
 */
export function checkFetchUrl(raw: string | URL, allowList: HostAllowList): URL {
  let url: URL;
  try {
    url = typeof raw === 'string' ? new URL(raw) : raw;
  } catch {
    throw new FetchError('invalid_url', `"${String(raw)}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('invalid_url', `Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new FetchError('invalid_url', 'URLs with a user name or password are not accepted.');
  }
  if (allowList.allowsUrl(url)) return url;
  // A trailing dot is the same name, fully qualified: "localhost." is still localhost.
  const host = url.hostname.replace(/^\[|\]$/gu, '').replace(/\.$/u, '');
  if (isIP(host) !== 0) {
    const reason = refusedAddressReason(host);
    if (reason !== undefined) throw refusedError(url.hostname, host, reason, portOf(url));
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new FetchError(
      'refused',
      `${host} is a loopback name: the reader does not fetch from its own network. ${allowHostHint(host, portOf(url))}`,
    );
  }
  return url;
}

/** `port` when the caller knows it (a lookup alone does not): the log's hint then names it. */
export function refusedError(hostname: string, address: string, reason: string, port?: string): FetchError {
  const where = hostname === address ? address : `${hostname} (${address})`;
  return new FetchError(
    'refused',
    `${where} is a ${reason} address: the reader does not fetch from there. ${allowHostHint(hostname, port)}`,
  );
}

function portOf(url: URL): string {
  return url.port === '' ? defaultPort(url.protocol) : url.port;
}
