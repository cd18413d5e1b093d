import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refusedAddressReason } from './address-guard.js';
import { refusedError, type HostAllowList } from './fetch-policy.js';

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
 */
export function guardedLookup(allowList: HostAllowList, resolve: Resolver = defaultResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (!allowList.allowsHostname(hostname)) {
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
