import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { refusedAddressReason } from './address-guard.js';
import { defaultPort, refusedError, type HostAllowList } from './fetch-policy.js';

/** Every address of a name; tests swap in a fake DNS. */
export type Resolver = (
  hostname: string,
  family: number | string | undefined,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const defaultResolver: Resolver = (hostname, family, callback) => {
  const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
  dnsLookup(hostname, { all: true, family: wanted }, callback);
};

/**
 * A DNS lookup for net.connect that refuses names resolving to a refused address. Checking
 * here, at connect time, and not before the request, is what stops DNS rebinding: the
 * address checked is the address connected to. If any address of a name is refused the
 * whole name is, so a record set mixing a public and a private address cannot win a race.
 * `guard: false` is for allow-listed host:port pairs only (see guardedConnector).
 */
export function guardedLookup(resolve: Resolver = defaultResolver, guard = true): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (guard) {
        for (const { address } of addresses) {
          const reason = refusedAddressReason(address);
          if (reason !== undefined) {
            callback(refusedError(hostname, address, reason), '', 0);
            return;
          }
        }
      }
      const [first] = addresses;
      if (first === undefined) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      } else if (options.all === true) {
        (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

export interface GuardedConnectorOptions {
  resolve?: Resolver | undefined;
  /** The TCP (and TLS) connect deadline. */
  timeoutMs: number;
}

/**
 * The fetcher's undici connector. The allow-list exempts a host AND a port, so the decision
 * is made here, where undici hands over both, for every new connection, redirects included:
 * an allow-listed host:port connects through an unguarded lookup, anything else through the
 * guarded one. A lookup alone knows only the name, and exempting by name let an entry
 * "vm:3969" open every port of vm, directly or through a redirect from vm:3969 (SSRF / port
 * scan of an internal host; decision 0013 §2). IP literals skip DNS, so they are checked
 * here once more (checkFetchUrl already refused them before the request).
 */
export function guardedConnector(
  allowList: HostAllowList,
  { resolve = defaultResolver, timeoutMs }: GuardedConnectorOptions,
): buildConnector.connector {
  const guarded = buildConnector({ lookup: guardedLookup(resolve, true), timeout: timeoutMs });
  const allowListed = buildConnector({ lookup: guardedLookup(resolve, false), timeout: timeoutMs });
  return (options, callback) => {
    const port = options.port === '' ? defaultPort(options.protocol) : options.port;
    if (allowList.allows(options.hostname, port)) {
      allowListed(options, callback);
      return;
    }
    if (isIP(options.hostname) !== 0) {
      const reason = refusedAddressReason(options.hostname);
      if (reason !== undefined) {
        callback(refusedError(options.hostname, options.hostname, reason, port), null);
        return;
      }
    }
    guarded(options, callback);
  };
}
