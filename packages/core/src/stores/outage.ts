import { GatehouseError } from '../errors.js';
import type { GatehouseStores } from './types.js';

// SQLSTATE classes that mean "the database is not there right now", not "your query is
// wrong": 08 connection exception, 53 insufficient resources, 57 operator intervention
// (57P01 admin_shutdown is what a restart sends to every open connection).
const OUTAGE_SQLSTATE_CLASSES = new Set(['08', '53', '57']);
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // SQLite: another process holds the write lock longer than busy_timeout.
  'SQLITE_BUSY',
]);
// pg and ioredis report a lost or missing connection with plain Errors and these messages.
const OUTAGE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Cannot use a pool after calling end/,
  /^Connection is closed/,
  /enableOfflineQueue options is false/,
  /^Command timed out/,
  /^LOADING /,
  /^MASTERDOWN /,
];

/** True when the error says the store is unreachable, as opposed to a bug or a conflict. */
export function isStoreOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof GatehouseError) return error.code === 'store_unavailable';
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && OUTAGE_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && OUTAGE_MESSAGES.some((pattern) => pattern.test(message));
}

export function storeUnavailable(cause: unknown): GatehouseError {
  return new GatehouseError(
    'store_unavailable',
    'The service cannot reach its data store right now: try again shortly.',
    {
      cause,
      retryAfterSeconds: 2,
    },
  );
}

/**
 * Wraps every method of a store so an outage surfaces as `store_unavailable` (503 with
 * Retry-After) instead of an internal error: the client learns it may retry, and nothing
 * was acknowledged. Other errors (bugs, constraint violations) pass through unchanged.
 * A Proxy, so every store interface is covered without a hand-written wrapper per method.
 */
export function reportOutages<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = Reflect.apply(value, target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw isStoreOutage(error) ? storeUnavailable(error) : error;
        });
      };
    },
  });
}

/** Every store of the set, outage-reporting; `push` and `close` are left as they are. */
export function reportStoreOutages(stores: GatehouseStores): GatehouseStores {
  const wrapped: GatehouseStores = {
    users: reportOutages(stores.users),
    sessions: reportOutages(stores.sessions),
    rateLimits: reportOutages(stores.rateLimits),
    audit: reportOutages(stores.audit),
    signingKeys: reportOutages(stores.signingKeys),
    tokenFamilies: reportOutages(stores.tokenFamilies),
    revocations: reportOutages(stores.revocations),
    apiKeys: reportOutages(stores.apiKeys),
    appPasswords: reportOutages(stores.appPasswords),
    serviceClients: reportOutages(stores.serviceClients),
    oneTimeTokens: reportOutages(stores.oneTimeTokens),
    stepUps: reportOutages(stores.stepUps),
    knownDevices: reportOutages(stores.knownDevices),
    mailOutbox: reportOutages(stores.mailOutbox),
    totp: reportOutages(stores.totp),
    recoveryCodes: reportOutages(stores.recoveryCodes),
    passkeys: reportOutages(stores.passkeys),
    pendingSignIns: reportOutages(stores.pendingSignIns),
    webauthnChallenges: reportOutages(stores.webauthnChallenges),
    database: stores.database,
    atomically: (work) =>
      stores.atomically(work).catch((error: unknown) => {
        throw isStoreOutage(error) ? storeUnavailable(error) : error;
      }),
    close: () => stores.close(),
  };
  if (stores.push !== undefined) wrapped.push = stores.push;
  return wrapped;
}
