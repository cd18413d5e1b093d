import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gatehouse, loadConfig, openSqliteStores, type GatehouseStores } from '@gatehouse/core';
import { serve, type ServerType } from '@hono/node-server';
import { createReaderApp } from '../app.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { FetchPolicy } from '../feeds/fetch-policy.js';
import { openReader, type Reader } from '../reader.js';

export interface ReaderTestServerOptions {
  fetchPolicy?: Partial<FetchPolicy>;
  catalogue?: Catalogue;
}

export interface ReaderTestServer {
  origin: string;
  reader: Reader;
  stores: GatehouseStores;
  databaseFile: string;
  /** The clock both Gatehouse and the reader read; move it with `advance`. */
  now: () => number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * The reader app as main.ts wires it (Gatehouse + the feeds API on one SQLite file), on a
 * real HTTP port, with a clock the test moves. The scheduler is not started: tests call
 * `reader.scheduler.runDue()` so nothing happens behind their back.
 */
export async function startReaderTestServer(options: ReaderTestServerOptions = {}): Promise<ReaderTestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'gh-reader-'));
  const databaseFile = join(directory, 'db.sqlite');
  let now = Date.parse('2024-06-01T12:00:00Z');
  const clock = () => now;

  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  const server: ServerType = serve({ fetch: (request, env) => handler(request, env), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

  const config = loadConfig({
    NODE_ENV: 'test',
    GATEHOUSE_SECRET: 'reader-test-secret-reader-test-secret-0123',
    DATABASE_URL: `sqlite:${databaseFile}`,
    GATEHOUSE_DATA_DIR: directory,
    PUBLIC_ORIGIN: origin,
    LOG_LEVEL: 'silent',
  });
  const stores = await openSqliteStores(databaseFile);
  const gatehouse = new Gatehouse({
    config,
    stores,
    clock,
    // Cheap hashing: these tests are about feeds, not password cost.
    passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 },
    // Every test signs up its own users, all from 127.0.0.1.
    rateLimits: { signupPerIp: { name: 'signup_per_ip', limit: 10_000, windowMs: 60 * 60_000 } },
  });
  await gatehouse.ready();
  const reader = await openReader(databaseFile, {
    clock,
    ...(options.fetchPolicy ? { fetchPolicy: options.fetchPolicy } : {}),
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
  });
  const app = createReaderApp({ gatehouse, reader });
  handler = (request, env) => app.fetch(request, env);

  return {
    origin,
    reader,
    stores,
    databaseFile,
    now: clock,
    advance: (ms) => {
      now += ms;
    },
    async close() {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      });
      await reader.close();
      await stores.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
