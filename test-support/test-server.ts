import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Gatehouse,
  loadConfig,
  openSqliteStores,
  type Argon2Params,
  type GatehouseStores,
  type RateLimits,
} from '@gatehouse/core';
import { currentAuth, mountGatehouse, type GatehouseEnv } from '@gatehouse/hono';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterEach } from 'vitest';

export interface TestServerOptions {
  /** Extra environment, on top of a test default (NODE_ENV=test, a fixed secret). */
  env?: Record<string, string>;
  rateLimits?: Partial<RateLimits>;
  passwordParams?: Argon2Params;
  /** Reuse an existing SQLite file (to restart "the same" server). */
  databaseFile?: string;
}

export interface TestServer {
  /** http://127.0.0.1:<port>: where requests go, and the trusted public origin. */
  origin: string;
  port: number;
  gatehouse: Gatehouse;
  stores: GatehouseStores;
  databaseFile: string;
  /** The clock the server reads; tests move it with `advance`. */
  now: () => number;
  advance(ms: number): void;
  /** How many times the state-changing test routes actually ran. */
  protectedCalls: () => number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a real SQLite file, with the Gatehouse middleware and routes
 * mounted as an app would, plus two test routes: a state-changing POST that counts its
 * calls (so CSRF tests can assert "the handler never ran") and a signed-in GET.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const databaseFile = options.databaseFile ?? join(directory, 'gatehouse.sqlite');
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
    DATABASE_URL: `sqlite:${databaseFile}`,
    GATEHOUSE_DATA_DIR: directory,
    PORT: String(port),
    PUBLIC_ORIGIN: origin,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const stores = await openSqliteStores(databaseFile);
  const gatehouse = new Gatehouse({
    config,
    stores,
    clock: () => now,
    logger: pino({ level: 'silent' }),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.passwordParams ? { passwordParams: options.passwordParams } : {}),
  });

  const app = new Hono<GatehouseEnv>();
  mountGatehouse(app, { gatehouse, remoteAddress: (c) => getConnInfo(c).remote.address });
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.post('/api/test/protected', (c) => {
    currentAuth(c);
    calls += 1;
    return c.json({ changed: true });
  });
  app.get('/api/test/whoami', (c) => {
    const auth = currentAuth(c, 'read');
    return c.json({ email: auth.user.email, credential: auth.credential, sessionId: auth.sessionId });
  });
  app.post('/api/test/write', (c) => {
    currentAuth(c, 'write');
    calls += 1;
    return c.json({ changed: true });
  });
  handler = (request, env) => app.fetch(request, env);

  return {
    origin,
    port,
    gatehouse,
    stores,
    databaseFile,
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
      await stores.close();
      if (options.databaseFile === undefined) rmSync(directory, { recursive: true, force: true });
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
