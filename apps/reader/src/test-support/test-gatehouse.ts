import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Gatehouse,
  loadConfig,
  openSqliteStores,
  type Clock,
  type ContentSources,
  type GatehouseConfig,
  type GatehouseStores,
} from '@gatehouse/core';
import { serve, type ServerType } from '@hono/node-server';

export interface TestGatehouseOptions {
  /** The host name in PUBLIC_ORIGIN: 127.0.0.1 for HTTP clients, localhost for Chromium. */
  host: string;
  clock?: Clock;
  contentSources?: ContentSources;
}

export interface TestGatehouse {
  origin: string;
  databaseFile: string;
  config: GatehouseConfig;
  stores: GatehouseStores;
  gatehouse: Gatehouse;
  /** Starts answering requests with `app` (until then every request gets a 503). */
  answerWith(app: { fetch: (request: Request, env: unknown) => Response | Promise<Response> }): void;
  /** Stops listening, runs `closeApp` (the reader), closes the stores and deletes the files. */
  close(closeApp: () => Promise<void>): Promise<void>;
}

/**
 * What every reader test server starts with: a port on 127.0.0.1, listened on first (the
 * origin holds the port and the config the origin), and Gatehouse ready on a temporary
 * SQLite file, with cheap hashing and room for every test's sign-ups from one address.
 */
export async function startTestGatehouse(options: TestGatehouseOptions): Promise<TestGatehouse> {
  const directory = mkdtempSync(join(tmpdir(), 'gh-reader-'));
  const databaseFile = join(directory, 'db.sqlite');
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  const server: ServerType = serve({ fetch: (request, env) => handler(request, env), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const origin = `http://${options.host}:${String((server.address() as AddressInfo).port)}`;

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
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.contentSources ? { contentSources: options.contentSources } : {}),
    // Cheap hashing: these tests are about the reader, not password cost.
    passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 },
    // Every test signs up its own users, all from 127.0.0.1.
    rateLimits: { signupPerIp: { name: 'signup_per_ip', limit: 10_000, windowMs: 60 * 60_000 } },
  });
  await gatehouse.ready();

  return {
    origin,
    databaseFile,
    config,
    stores,
    gatehouse,
    answerWith(app) {
      handler = (request, env) => app.fetch(request, env);
    },
    async close(closeApp) {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      });
      await closeApp();
      await gatehouse.close();
      await stores.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
