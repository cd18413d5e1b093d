import { Kysely, PostgresDialect } from 'kysely';
import { Pool, TypeOverrides } from 'pg';
import type { Database } from './schema.js';

const INT8_OID = 20;

/**
 * The one dialect difference the stores would otherwise see: PostgreSQL sends `bigint`
 * (int8) as a string, because it can exceed 2^53. Our int8 columns hold epoch milliseconds
 * and counts, far below that, so they are read as numbers, exactly as SQLite returns them.
 * Set per pool, not on pg's global parser, so nothing else in the process changes.
 */
function numericInt8(): TypeOverrides {
  const overrides = new TypeOverrides();
  overrides.setTypeParser(INT8_OID, 'text', Number);
  return overrides;
}

export interface PostgresOptions {
  /** Connections per instance. Default 10. */
  poolSize?: number;
  /** A request waits at most this long for a connection, then fails as `store_unavailable`. Default 3 s. */
  connectionTimeoutMs?: number;
  /** A connection that breaks outside a query (the server restarted). Default: ignored. */
  onIdleError?: (error: Error) => void;
}

/**
 * A PostgreSQL pool behind Kysely. The schema is chosen the libpq way, in the URL:
 * `?options=-c%20search_path%3Dgatehouse`. Tables are created by the same migrations as SQLite.
 */
export function openPostgresDatabase(url: string, options: PostgresOptions = {}): Kysely<Database> {
  const pool = new Pool({
    connectionString: url,
    types: numericInt8(),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3000,
    // Lets a drained instance exit even if close() is never called.
    allowExitOnIdle: true,
  });
  // Without a listener, an idle client dying (PostgreSQL restarting) would crash the process.
  // The pool discards that client and opens a new one on the next checkout.
  pool.on('error', (error) => {
    options.onIdleError?.(withoutClient(error));
  });
  // The pool listens only while a client is idle in it. One that breaks while checked out
  // between two queries (inside a transaction, say) would emit 'error' with nobody
  // listening and crash the process; the query that uses it fails instead (an outage, so a
  // 503), and the pool drops the broken client when it comes back.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      options.onIdleError?.(withoutClient(error));
    });
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * pg hangs the whole client on such errors (connection parameters, a password if the URL
 * has one, the cancel key): a logger would print all of it. Only the message goes on.
 */
function withoutClient(error: Error): Error {
  return new Error(`PostgreSQL connection lost: ${error.message}`);
}
