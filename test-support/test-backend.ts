import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * Which stores the tests run on, from GATEHOUSE_TEST_BACKEND: `sqlite` (the default),
 * `postgres`, or `postgres+redis`. CI runs the suite once per backend. A backend that is
 * asked for but unreachable fails the run with a message; nothing is skipped.
 */
export type TestBackend = 'sqlite' | 'postgres' | 'postgres+redis';

const BACKENDS: readonly TestBackend[] = ['sqlite', 'postgres', 'postgres+redis'];

/** The shared services on these machines (`.ci/services.sh` starts them). */
export const TEST_POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testBackend(): TestBackend {
  const value = process.env.GATEHOUSE_TEST_BACKEND ?? 'sqlite';
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`GATEHOUSE_TEST_BACKEND must be one of ${BACKENDS.join(', ')}, not "${value}"`);
  }
  return value as TestBackend;
}

/** One test's own database: a SQLite file, or a PostgreSQL schema (and a Redis key prefix). */
export interface TestDatabase {
  backend: TestBackend;
  /** What the server's configuration (or a server process's environment) needs. */
  env: { DATABASE_URL: string; REDIS_URL?: string };
  /** The SQLite file, or the PostgreSQL schema. */
  location: string;
  /** Rows from an ad-hoc SQL query, on either database (for asserting stored state). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Deletes the file or drops the schema and the Redis keys. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  backend?: TestBackend;
  /** PostgreSQL: the same name gives the same schema, how a test "restarts" a server on its data. */
  name?: string;
  /** SQLite: this file (which `drop` leaves alone) instead of a new one. */
  sqliteFile?: string;
  /** A PostgreSQL server other than the shared one (the fault tests run their own). */
  postgresUrl?: string;
  redisUrl?: string;
}

/** A fresh database on the chosen backend, created now. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const backend = options.backend ?? testBackend();
  if (backend === 'sqlite') return sqliteDatabase(options.sqliteFile);
  const postgresUrl = options.postgresUrl ?? TEST_POSTGRES_URL;
  const suffix = options.name === undefined ? randomBytes(6).toString('hex') : stableSuffix(options.name);
  const schema = `gh_test_${suffix}`;
  await withPostgres(postgresUrl, (client) => client.query(`create schema if not exists ${schema}`));
  const databaseUrl = withSearchPath(postgresUrl, schema);
  const database: TestDatabase = {
    backend,
    env: { DATABASE_URL: databaseUrl },
    location: schema,
    rows: (sql) =>
      withPostgres(databaseUrl, async (client) => (await client.query(sql)).rows as Record<string, unknown>[]),
    drop: async () => {
      await withPostgres(postgresUrl, (client) => client.query(`drop schema if exists ${schema} cascade`));
    },
  };
  if (backend === 'postgres') return database;

  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const prefix = `gh-test-${suffix}:`;
  await withRedis(redisUrl, (redis) => redis.ping());
  const url = new URL(redisUrl);
  url.searchParams.set('prefix', prefix);
  return {
    ...database,
    env: { ...database.env, REDIS_URL: url.toString() },
    drop: async () => {
      await database.drop();
      await withRedis(redisUrl, (redis) => deleteKeys(redis, `${prefix}*`));
    },
  };
}

/** `?options=-c search_path=<schema>`: how libpq (and pg) pick the schema per connection. */
export function withSearchPath(postgresUrl: string, schema: string): string {
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

function sqliteDatabase(givenFile: string | undefined): TestDatabase {
  const directory = givenFile === undefined ? mkdtempSync(join(tmpdir(), 'gatehouse-test-')) : undefined;
  const file = givenFile ?? join(directory ?? '', 'gatehouse.sqlite');
  return {
    backend: 'sqlite',
    env: { DATABASE_URL: `sqlite:${file}` },
    location: file,
    async rows(sql) {
      const { default: SQLite } = await import('better-sqlite3');
      const db = new SQLite(file, { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    drop() {
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function stableSuffix(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 16);
}

async function withPostgres<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`The tests need PostgreSQL at ${new URL(url).host}: run .ci/services.sh`, { cause: error });
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`The tests need Redis at ${new URL(url).host}: run .ci/services.sh`, {
      cause: error,
    });
  }
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
