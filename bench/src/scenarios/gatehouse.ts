import type { AutocannonRequest } from 'autocannon';
import { BenchClient } from '../http-client.js';
import { load, TIMING, type LoadResult } from '../load.js';
import { paired, SLICES, type Paired } from '../paired.js';
import { resetTimingFigure } from './reset-timing.js';
import { loadInOwnProcess, startServer, type RunningServer } from '../processes.js';
import type { BenchResults, FigureRow, ThroughputRow } from '../results.js';
import {
  BENCH_PASSWORD,
  BROWSER_HEADERS,
  createApiKey,
  csrfTokenOf,
  nativeTokens,
  PROXY_HEADERS,
  replayStatus,
  signUpBrowser,
} from './gatehouse-credentials.js';

export interface GatehouseBackend {
  /** BENCH_BACKEND for the server process. */
  name: 'sqlite' | 'postgres-redis';
  section: string;
  /** The ratio to the baseline every authenticated "who am I" must reach. */
  target: number;
  /** Runs before each server starts (a clean PostgreSQL schema and Redis prefix). */
  reset?: () => Promise<void>;
}

const SERVER = 'src/servers/gatehouse-server.ts';
const SESSION_COOKIE = '__Host-gh_session';
const ACCESS_COOKIE = '__Host-gh_access';
/** Logins at once: the size of libuv's thread pool, where argon2 runs. */
const LOGIN_CONNECTIONS = 4;
/** The storm's probe runs at this share of the quiet /me throughput: loaded, not saturated. */
const PROBE_LOAD_SHARE = 0.25;
const CACHE_MEMORY_SESSIONS = 4000;
const HEALTH = { path: '/api/health', headers: PROXY_HEADERS };

/**
 * Every Gatehouse scenario on one backend: a session-mode server (session cookie, bearer
 * token, API key, refresh rotation, logins and the login storm, cache memory) and a
 * jwt-cookie server (access-token cookie), each with its own same-run baseline.
 */
export async function runGatehouse(backend: GatehouseBackend): Promise<BenchResults> {
  const results: BenchResults = { throughput: [], figures: [] };
  const ran = await inServer(backend, 'session', 'all scenarios', results, (server) =>
    sessionModeScenarios(server, backend, results),
  );
  if (ran) {
    await inServer(backend, 'jwt-cookie', 'jwt-cookie mode', results, (server) =>
      jwtCookieScenarios(server, backend, results),
    );
  }
  return results;
}

/**
 * Runs `scenarios` against a fresh server in `mode` on clean stores, and stops it after; a
 * server that cannot start is one row saying why. Returns whether it ran.
 */
async function inServer(
  backend: GatehouseBackend,
  mode: 'session' | 'jwt-cookie',
  label: string,
  results: BenchResults,
  scenarios: (server: RunningServer) => Promise<void>,
): Promise<boolean> {
  await backend.reset?.();
  const started = await startServer(SERVER, { BENCH_BACKEND: backend.name, GATEHOUSE_BROWSER_MODE: mode });
  if (!started.ok) {
    results.throughput.push({ section: backend.section, scenario: label, note: notAvailable(started.unavailable) });
    return false;
  }
  try {
    await scenarios(started.server);
  } finally {
    await started.server.stop();
  }
  return true;
}

function notAvailable(reason: string): string {
  return `not available in this build (${reason})`;
}

async function sessionModeScenarios(server: RunningServer, backend: GatehouseBackend, results: BenchResults) {
  const { origin } = server;
  const email = 'bench@example.test';
  const browser = await signUpBrowser(origin, email);
  const sessionCookie = `${SESSION_COOKIE}=${browser.cookies.get(SESSION_COOKIE) ?? ''}`;
  const bearer = (await nativeTokens(origin, email)).access_token;
  const apiKey = await createApiKey(browser);
  // Every autocannon run that ends cuts off up to one request per connection, whose successor
  // is lost: a family per connection for each run (warm-up and slices) and one run to spare.
  const refreshPool: string[] = [];
  const families = TIMING.connections * (SLICES.count + 2);
  for (let i = 0; i < families; i += 1) refreshPool.push((await nativeTokens(origin, email)).refresh_token);

  const bearerHeaders = { ...PROXY_HEADERS, Authorization: `Bearer ${bearer}` };
  const cookieHeaders = { ...PROXY_HEADERS, Cookie: sessionCookie };
  const whoAmI = [
    { name: 'GET /api/auth/me, session cookie', path: '/api/auth/me', headers: cookieHeaders },
    { name: 'GET /bench/whoami, session cookie', path: '/bench/whoami', headers: cookieHeaders },
    { name: 'GET /api/auth/me, bearer access token', path: '/api/auth/me', headers: bearerHeaders },
    { name: 'GET /bench/whoami, bearer access token', path: '/bench/whoami', headers: bearerHeaders },
    {
      name: 'GET /bench/whoami, API key',
      path: '/bench/whoami',
      headers: { ...PROXY_HEADERS, Authorization: `Bearer ${apiKey.secret}` },
    },
  ];
  const measured: { name: string; run: Paired }[] = [];
  for (const { name, ...request } of whoAmI) measured.push({ name, run: await paired(server, HEALTH, request) });
  const refresh = await paired(server, HEALTH, { requests: [refreshRotation(refreshPool)] });
  const login = await paired(server, HEALTH, loginRequest(await loginCsrf(origin), email), {
    connections: LOGIN_CONNECTIONS,
  });
  const meSessionRps = measured[0]?.run.scenario.rps ?? 0;
  const storm = await loginStorm(server, sessionCookie, meSessionRps, email);
  const resetTiming = await resetTimingFigure(origin, email, backend.section);
  const memory = await browser.expect<{ bytesPerSession: number; validated: number }>(
    200,
    'GET',
    `/bench/cache-memory?count=${String(CACHE_MEMORY_SESSIONS)}`,
  );

  // Revocation checks last: they end the credentials the load runs used.
  const sessionRejected = await logoutThenReplay(origin, sessionCookie, async () => {
    await browser.expect(204, 'POST', '/api/auth/logout', { headers: { 'X-CSRF-Token': await csrfTokenOf(browser) } });
  });
  const bearerRejected = await bearerLogoutThenReplay(origin, bearer);
  const apiKeyRejected = await apiKeyRevokeThenReplay(origin, email, apiKey);

  const revoked = [sessionRejected, sessionRejected, bearerRejected, bearerRejected, apiKeyRejected];
  measured.forEach(({ name, run }, index) => {
    results.throughput.push(
      row(backend.section, name, run, { target: backend.target, rejectsAfterLogout: revoked[index] ?? false }),
    );
  });
  results.throughput.push(
    row(backend.section, 'POST /api/auth/refresh, rotation (bearer family)', refresh, {
      note: 'a write per rotation; no target',
    }),
    row(backend.section, 'POST /api/auth/login (argon2id, OWASP cost)', login, {
      note: `${String(LOGIN_CONNECTIONS)} connections; slow on purpose; no target`,
    }),
  );
  results.figures.push(stormFigure(backend.section, storm));
  results.figures.push(resetTiming);
  results.figures.push({
    section: backend.section,
    figure: 'heap per cached session (session + user record)',
    value:
      memory.validated > 0
        ? `${String(memory.bytesPerSession)} bytes`
        : 'not measured: cache off (push channel not live)',
    note: `${String(memory.validated)} sessions; settled heap with the cache full − emptied, median of 3`,
  });
}

async function jwtCookieScenarios(server: RunningServer, backend: GatehouseBackend, results: BenchResults) {
  const { origin } = server;
  const browser = await signUpBrowser(origin, 'bench-jwt@example.test');
  const accessCookie = `${ACCESS_COOKIE}=${browser.cookies.get(ACCESS_COOKIE) ?? ''}`;
  const me = await paired(server, HEALTH, {
    path: '/api/auth/me',
    headers: { ...PROXY_HEADERS, Cookie: accessCookie },
  });
  const rejected = await logoutThenReplay(origin, accessCookie, async () => {
    await browser.expect(204, 'POST', '/api/auth/logout', { headers: { 'X-CSRF-Token': await csrfTokenOf(browser) } });
  });
  results.throughput.push(
    row(backend.section, 'GET /api/auth/me, access-token cookie (jwt-cookie mode)', me, {
      target: backend.target,
      rejectsAfterLogout: rejected,
    }),
  );
}

export function row(section: string, scenario: string, run: Paired, extra: Partial<ThroughputRow> = {}): ThroughputRow {
  return {
    section,
    scenario,
    rps: run.scenario.rps,
    p50Ms: run.scenario.p50Ms,
    p99Ms: run.scenario.p99Ms,
    serverCpu: run.scenario.serverCpu,
    failures: run.scenario.failures,
    baselineRps: run.baseline.rps,
    baselineServerCpu: run.baseline.serverCpu,
    ...extra,
  };
}

/**
 * Each request presents a live refresh token from the pool and puts its successor back:
 * a real rotation every time, never a replay (which the grace window would answer with
 * the same successor, or reuse detection with a revoked family).
 */
function refreshRotation(pool: string[]): AutocannonRequest {
  return {
    method: 'POST',
    path: '/api/auth/refresh',
    headers: { ...PROXY_HEADERS, 'Content-Type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: pool.shift() ?? 'pool-empty' }) }),
    onResponse: (status, body) => {
      if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
    },
  };
}

/** A CSRF cookie and a masked token for it: what a browser holds before it signs in. */
async function loginCsrf(origin: string): Promise<{ cookie: string; token: string }> {
  const anonymous = new BenchClient(origin, BROWSER_HEADERS);
  const token = await csrfTokenOf(anonymous);
  return { cookie: anonymous.cookieHeader(), token };
}

function loginRequest(csrf: { cookie: string; token: string }, email: string) {
  return {
    method: 'POST',
    path: '/api/auth/login',
    headers: {
      ...BROWSER_HEADERS,
      Cookie: csrf.cookie,
      'X-CSRF-Token': csrf.token,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  };
}

interface Storm {
  rate: number;
  quiet: LoadResult;
  stormed: LoadResult;
  logins: LoadResult;
  /** The server's event-loop delay p99 (ms) during the quiet probe and during the storm. */
  loopQuietMs: number;
  loopStormMs: number;
}

/**
 * The same /me probe at a fixed rate, alone and then while logins run flat out beside it.
 * A fixed rate (not "as fast as possible") makes the p99s comparable: the question is
 * whether argon2 delays other requests, not how throughput is shared. The storm's load
 * generator runs in its own process, so its work does not delay the probe's.
 */
async function loginStorm(server: RunningServer, sessionCookie: string, meRps: number, email: string): Promise<Storm> {
  const probe = { path: '/api/auth/me', headers: { ...PROXY_HEADERS, Cookie: sessionCookie } };
  const rate = Math.max(50, Math.round(meRps * PROBE_LOAD_SHARE));
  await load(server.origin, probe, { overallRate: rate, durationSeconds: TIMING.warmupSeconds, warmup: false });
  await server.stats();
  const quiet = await load(server.origin, probe, { overallRate: rate, warmup: false, exactLatency: true });
  const loopQuiet = await server.stats();
  const storm = loadInOwnProcess(server.origin, loginRequest(await loginCsrf(server.origin), email), {
    connections: LOGIN_CONNECTIONS,
    // Outlasts the probe: one warm-up second before it, the probe, and a spare second.
    durationSeconds: TIMING.durationSeconds + 2 * TIMING.warmupSeconds + 1,
    warmup: false,
  });
  await storm.started;
  await new Promise((resolve) => setTimeout(resolve, TIMING.warmupSeconds * 1000));
  await server.stats();
  const stormed = await load(server.origin, probe, { overallRate: rate, warmup: false, exactLatency: true });
  const loopStorm = await server.stats();
  return {
    rate,
    quiet,
    stormed,
    logins: await storm.done,
    loopQuietMs: loopQuiet.loopDelayP99Ms,
    loopStormMs: loopStorm.loopDelayP99Ms,
  };
}

function stormFigure(section: string, { rate, quiet, stormed, logins, loopQuietMs, loopStormMs }: Storm): FigureRow {
  return {
    section,
    figure: `GET /api/auth/me (session) at ${String(rate)} req/s: p99 quiet → during a login storm`,
    value: `${ms(quiet.p99Ms)} → ${ms(stormed.p99Ms)} (p50 ${ms(quiet.p50Ms)} → ${ms(stormed.p50Ms)})`,
    // Both p99s to the microsecond (exactLatency), so the ratio compares real latencies, not
    // autocannon's whole-millisecond floor.
    ratio: stormed.p99Ms / quiet.p99Ms,
    ratioOf: 'p99 in storm / p99 quiet',
    maxRatio: 2,
    note:
      `storm: ${logins.rps.toFixed(1)} logins/s on ${String(LOGIN_CONNECTIONS)} connections; server event-loop delay p99 ` +
      `${loopQuietMs.toFixed(1)} → ${loopStormMs.toFixed(1)} ms; probe failures ${String(stormed.failures)}`,
  };
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/** Logs out (the callback), then presents the old credential again: true if it got a 401. */
async function logoutThenReplay(origin: string, cookie: string, logout: () => Promise<void>): Promise<boolean> {
  if ((await replayStatus(origin, '/api/auth/me', { Cookie: cookie })) !== 200)
    throw new Error('credential dead before logout');
  await logout();
  return (await replayStatus(origin, '/api/auth/me', { Cookie: cookie })) === 401;
}

async function bearerLogoutThenReplay(origin: string, bearer: string): Promise<boolean> {
  const headers = { Authorization: `Bearer ${bearer}` };
  if ((await replayStatus(origin, '/bench/whoami', headers)) !== 200)
    throw new Error('bearer token dead before logout');
  const response = await fetch(`${origin}/api/auth/logout`, {
    method: 'POST',
    headers: { ...PROXY_HEADERS, ...headers },
  });
  if (response.status !== 204) throw new Error(`bearer logout: ${String(response.status)}`);
  return (await replayStatus(origin, '/bench/whoami', headers)) === 401;
}

async function apiKeyRevokeThenReplay(origin: string, email: string, apiKey: { id: string; secret: string }) {
  const headers = { Authorization: `Bearer ${apiKey.secret}` };
  if ((await replayStatus(origin, '/bench/whoami', headers)) !== 200) throw new Error('API key dead before revocation');
  // The bench user signed out above: sign in again to revoke the key, as its owner would.
  const { access_token: token } = await nativeTokens(origin, email);
  const response = await fetch(`${origin}/api/auth/api-keys/${apiKey.id}`, {
    method: 'DELETE',
    headers: { ...PROXY_HEADERS, Authorization: `Bearer ${token}` },
  });
  if (response.status !== 204) throw new Error(`API key revoke: ${String(response.status)}`);
  return (await replayStatus(origin, '/bench/whoami', headers)) === 401;
}
