import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Gatehouse,
  loadConfig,
  openStores,
  type Argon2Params,
  type GatehouseStores,
  type RateLimits,
} from '@gatehouse/core';
import { serve, type ServerType } from '@hono/node-server';
import { pino } from 'pino';
import { afterAll, afterEach } from 'vitest';
import { createTestApp } from './test-app.js';
import { createTestDatabase, type TestBackend, type TestDatabase } from './test-backend.js';

export interface TestServerOptions {
  /** Extra environment, on top of a test default (NODE_ENV=test, a fixed secret). */
  env?: Record<string, string>;
  rateLimits?: Partial<RateLimits>;
  passwordParams?: Argon2Params;
  /**
   * Reuse the data of an earlier server (to restart "the same" server): on SQLite this
   * file; on PostgreSQL a schema named after it, dropped when the test file ends.
   */
  databaseFile?: string;
  /** Stands between the real stores and Gatehouse, e.g. to make one write fail (fault tests). */
  wrapStores?: (stores: GatehouseStores) => GatehouseStores;
}

export interface TestServer {
  /** http://127.0.0.1:<port>: where requests go, and the trusted public origin. */
  origin: string;
  port: number;
  gatehouse: Gatehouse;
  stores: GatehouseStores;
  /** The backend under test (GATEHOUSE_TEST_BACKEND) and this server's own database on it. */
  backend: TestBackend;
  database: TestDatabase;
  /** The SQLite file, or on PostgreSQL the schema. Prefer `database.rows()` to read stored state. */
  databaseFile: string;
  /** The clock the server reads; tests move it with `advance`. */
  now: () => number;
  advance(ms: number): void;
  /** How many times the state-changing test routes actually ran. */
  protectedCalls: () => number;
  close(): Promise<void>;
}

/** Schemas kept for a restart (`databaseFile`); dropped once the test file is done with them. */
const reusedDatabases = new Map<string, TestDatabase>();
afterAll(async () => {
  await Promise.all([...reusedDatabases.values()].map((database) => database.drop()));
  reusedDatabases.clear();
});

/**
 * A real HTTP server on real stores (a SQLite file by default; PostgreSQL, with or without
 * Redis, per GATEHOUSE_TEST_BACKEND), with the Gatehouse middleware and routes mounted as
 * an app would, plus the test routes of `createTestApp`.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const database = await createTestDatabase({
    ...(options.databaseFile === undefined ? {} : { sqliteFile: options.databaseFile, name: options.databaseFile }),
  });
  if (options.databaseFile !== undefined && database.backend !== 'sqlite') {
    reusedDatabases.set(database.location, database);
  }
  let now = Date.now();
  let calls = 0;
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });

  const server: ServerType = serve({ fetch: (request, env) => handler(request, env), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${String(port)}`;

  const config = loadConfig({
    NODE_ENV: 'test',
    GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ...database.env,
    GATEHOUSE_DATA_DIR: directory,
    PORT: String(port),
    PUBLIC_ORIGIN: origin,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  let stores: GatehouseStores;
  try {
    stores = await openStores(config);
    // With Redis, start with the push channel live, so the tests exercise the caches.
    await stores.push?.ready();
  } catch (error) {
    server.close();
    await database.drop();
    throw error;
  }
  const gatehouse = new Gatehouse({
    config,
    stores: options.wrapStores ? options.wrapStores(stores) : stores,
    clock: () => now,
    logger: pino({ level: 'silent' }),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.passwordParams ? { passwordParams: options.passwordParams } : {}),
  });

  const app = createTestApp(gatehouse, () => {
    calls += 1;
  });
  handler = (request, env) => app.fetch(request, env);

  return {
    origin,
    port,
    gatehouse,
    stores,
    backend: database.backend,
    database,
    databaseFile: database.location,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    protectedCalls: () => calls,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await gatehouse.close();
      await stores.close();
      rmSync(directory, { recursive: true, force: true });
      if (options.databaseFile === undefined) await database.drop();
    },
  };
}

/**
 * For tests that each need their own configuration: returns a `start` that launches a
 * server with the given options, and closes every server it started after each test.
 */
export function serversPerTest(): (options?: TestServerOptions) => Promise<TestServer> {
  const running: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const server = await startTestServer(options);
    running.push(server);
    return server;
  };
}
