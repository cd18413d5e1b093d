import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { announce, serverStats } from './server-stats.js';

/**
 * Peer: Better Auth's session check (auth.api.getSession) on SQLite through its Kysely
 * adapter. BENCH_COOKIE_CACHE=1 turns on its cookie cache: a signed copy of the session in
 * a second cookie, trusted for five minutes without asking the database.
 */
const cookieCache = process.env.BENCH_COOKIE_CACHE === '1';
const database = new Database(join(mkdtempSync(join(tmpdir(), 'gh-bench-ba-')), 'better-auth.sqlite'));
database.pragma('journal_mode = WAL');

let handler: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 });
const server = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

const options = {
  database,
  baseURL: origin,
  secret: 'bench-secret-bench-secret-bench-secret-0123456789',
  emailAndPassword: { enabled: true },
  session: { cookieCache: { enabled: cookieCache, maxAge: 5 * 60 } },
  telemetry: { enabled: false },
};
await (await getMigrations(options)).runMigrations();
const auth = betterAuth(options);

const app = new Hono();
app.get('/api/health', (c) => c.json({ status: 'ok' }));
app.get('/bench/stats', (c) => c.json(serverStats()));
app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));
app.get('/api/me', async (c) => {
  const session = await auth.api.getSession({ headers: c.req.raw.headers });
  if (session === null) return c.json({ code: 'unauthenticated' }, 401);
  return c.json({ user: { id: session.user.id, email: session.user.email } });
});
handler = (request) => app.fetch(request);
announce({ ready: true, port: (server.address() as AddressInfo).port });

process.on('SIGTERM', () => {
  server.close(() => {
    database.close();
    process.exit(0);
  });
});
