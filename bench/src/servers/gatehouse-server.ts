import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  Gatehouse,
  loadConfig,
  openStores,
  type GatehouseStores,
  type RateLimitRule,
  type RateLimits,
} from '@gatehouse/core';
import { currentAuth, mountGatehouse, type GatehouseEnv } from '@gatehouse/hono';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { pino } from 'pino';
import { BENCH_PUBLIC_ORIGIN, benchDatabaseUrl, benchRedisUrl } from '../bench-settings.js';
import { announce, serverStats } from './server-stats.js';

/**
 * Gatehouse as an app would run it, in its own process: production settings behind a TLS
 * proxy (X-Forwarded-Proto), real argon2 cost, real stores. Environment:
 *   BENCH_BACKEND      sqlite | postgres-redis
 *   BENCH_PG_URL, BENCH_REDIS_URL         for postgres-redis (our own schema and key prefix)
 *   GATEHOUSE_BROWSER_MODE                session | jwt-cookie
 * Prints one ReadyLine on stdout; "unavailable" when this build cannot open the backend.
 */
const UNLIMITED: RateLimitRule = { name: 'bench_unlimited', limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };

const backend = process.env.BENCH_BACKEND ?? 'sqlite';
const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-'));
const config = loadConfig({
  NODE_ENV: 'production',
  // Reset mail (the reset-timing figure) goes to .eml files in the data folder.
  MAIL_URL: 'log:',
  HOST: '127.0.0.1',
  PORT: '0',
  PUBLIC_ORIGIN: BENCH_PUBLIC_ORIGIN,
  GATEHOUSE_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
  GATEHOUSE_TRUST_PROXY: '1',
  GATEHOUSE_BROWSER_MODE: process.env.GATEHOUSE_BROWSER_MODE ?? 'session',
  GATEHOUSE_DATA_DIR: dataDir,
  // Security events at info would be one log line per login; the bench measures the auth, not pino.
  LOG_LEVEL: 'warn',
  DATABASE_URL: backend === 'sqlite' ? `sqlite:${join(dataDir, 'gatehouse.sqlite')}` : benchDatabaseUrl(),
  REDIS_URL: backend === 'sqlite' ? undefined : benchRedisUrl(),
});

let stores: GatehouseStores;
try {
  stores = await openStores(config);
} catch (error) {
  // A build without the scale-out backends refuses PostgreSQL and Redis with a ConfigError;
  // anything else (a backend that is down) is reported the same way, with its message.
  const message = error instanceof Error ? error.message : String(error);
  announce({
    ready: false,
    unavailable: `${error instanceof ConfigError ? '' : 'error: '}${message.split('\n')[0] ?? ''}`,
  });
  process.exit(0);
}

// The storm must measure argon2 and the event loop, not the limiter saying no.
const rateLimits: RateLimits = {
  loginPerIp: UNLIMITED,
  loginPerAccountAndIp: UNLIMITED,
  loginPerAccount: UNLIMITED,
  signupPerIp: UNLIMITED,
  // The reset-timing figure asks hundreds of times for one address.
  passwordResetPerEmail: UNLIMITED,
  passwordResetPerIp: UNLIMITED,
  accountMailPerUser: UNLIMITED,
  tokenAttemptsPerIp: UNLIMITED,
  passwordCheckPerIp: UNLIMITED,
  secondFactorPerAccount: UNLIMITED,
  appPasswordFailuresPerIp: UNLIMITED,
};
const gatehouse = new Gatehouse({ config, stores, rateLimits, logger: pino({ level: 'warn' }) });
await gatehouse.ready();

const app = new Hono<GatehouseEnv>();
mountGatehouse(app, { gatehouse, remoteAddress: (c) => getConnInfo(c).remote.address });
app.get('/api/health', (c) => c.json({ status: 'ok' }));
app.get('/bench/whoami', (c) => {
  const auth = currentAuth(c, 'read');
  return c.json({ user: { id: auth.user.id, email: auth.user.email } });
});
app.get('/bench/stats', (c) => c.json(serverStats()));
// Sessions for the revocation-propagation run, without an argon2 login each.
app.get('/bench/new-sessions', async (c) => {
  const auth = currentAuth(c);
  const count = Number(c.req.query('count') ?? '100');
  const created = await Promise.all(
    Array.from({ length: count }, () =>
      gatehouse.sessions.create({
        userId: auth.user.id,
        ip: '127.0.0.1',
        userAgent: 'gatehouse-bench',
        persistent: true,
      }),
    ),
  );
  return c.json({ tokens: created.map(({ token }) => token) });
});
// A GET because the bench owns this server; it signs nobody in over HTTP.
app.get('/bench/cache-memory', async (c) => {
  const auth = currentAuth(c);
  const count = Number(c.req.query('count') ?? '2000');
  return c.json(await measureSessionCacheMemory(auth.user.id, count));
});

/**
 * Bytes of heap per cached session: creates `count` sessions in the store, validates each
 * once (which is what fills the cache on a real request), then compares the settled heap
 * with the cache full and right after emptying it. Only what the cache alone kept alive
 * differs between the two, so the pool's and drivers' garbage cannot skew it (the earlier
 * "before and after filling" figure came out negative on PostgreSQL + Redis). Median of three.
 */
async function measureSessionCacheMemory(userId: string, count: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('start the server with --expose-gc');
  // The cache is only used while the push channel is live; otherwise there is nothing to measure.
  if (!gatehouse.cachesTrusted) return { count, validated: 0, bytesPerSession: 0 };
  const tokens: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, () =>
      gatehouse.sessions.create({ userId, ip: '127.0.0.1', userAgent: 'gatehouse-bench', persistent: true }),
    );
    tokens.push(...(await Promise.all(batch)).map((created) => created.token));
  }
  const settledHeap = async () => {
    // Twice, a turn of the event loop apart: buffers freed by the first are gone by the second.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    return process.memoryUsage().heapUsed;
  };
  const samples: number[] = [];
  let validated = 0;
  for (let round = 0; round < 3; round += 1) {
    validated = 0;
    // A hundred at a time: on PostgreSQL each first validation is two round trips.
    for (let start = 0; start < tokens.length; start += 100) {
      const entries = await Promise.all(
        tokens.slice(start, start + 100).map((token) => gatehouse.sessions.validate(token)),
      );
      validated += entries.filter((entry) => entry !== undefined).length;
    }
    const full = await settledHeap();
    gatehouse.sessions.clearCache();
    const empty = await settledHeap();
    samples.push((full - empty) / count);
  }
  samples.sort((a, b) => a - b);
  return { count, validated, bytesPerSession: Math.round(samples[1] ?? 0) };
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  announce({ ready: true, port: info.port });
});

process.on('SIGTERM', () => {
  server.close(() => {
    void stores.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
});
