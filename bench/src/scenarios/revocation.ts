import { BenchClient } from '../http-client.js';
import { startServer, type RunningServer } from '../processes.js';
import type { BenchResults } from '../results.js';
import {
  BROWSER_HEADERS,
  csrfTokenOf,
  nativeTokens,
  PROXY_HEADERS,
  replayStatus,
  signUpBrowser,
} from './gatehouse-credentials.js';

const SERVER = 'src/servers/gatehouse-server.ts';
const SESSION_COOKIE = '__Host-gh_session';
const SESSION_REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? '200');
/** Each needs an argon2 sign-in, so fewer. */
const BEARER_REVOCATIONS = Number(process.env.BENCH_BEARER_REVOCATIONS ?? '50');
/** A credential instance B still accepts after this long counts as never revoked there. */
const GIVE_UP_MS = 2000;
const TARGET_P99_MS = 50;

interface Propagation {
  /** From sending the revocation to instance A until instance B first answered 401, per credential. */
  delaysMs: number[];
  /** How long A took to acknowledge the revocation, for comparison. */
  acknowledgedMs: number[];
  /** How long B still accepted the credential after A acknowledged (0 when it refused at once). */
  afterAckMs: number[];
  /** Credentials B still accepted after GIVE_UP_MS. */
  neverRejected: number;
}

/**
 * Revocation propagation between two instances on PostgreSQL + Redis: two server processes
 * on their own ports sharing the stores. Each credential is first used on B (so B has it
 * cached), then revoked on A, while B is asked about it back to back until it says 401.
 * The delay is measured from sending the revocation, so it includes A's own handling.
 */
export async function runRevocationPropagation(section: string, reset: () => Promise<void>): Promise<BenchResults> {
  const results: BenchResults = { throughput: [], figures: [] };
  await reset();
  // One after the other: the first migrates the schema the second then finds in place.
  const first = await startServer(SERVER, { BENCH_BACKEND: 'postgres-redis' });
  if (!first.ok) return unavailable(results, section, first.unavailable);
  const second = await startServer(SERVER, { BENCH_BACKEND: 'postgres-redis' });
  if (!second.ok) {
    await first.server.stop();
    return unavailable(results, section, second.unavailable);
  }
  try {
    const [a, b] = [first.server, second.server];
    const sessions = await sessionPropagation(a, b);
    const bearer = await bearerPropagation(a, b);
    results.figures.push(
      figure(section, `session cookie revoked on instance A (logout): rejected on B after`, sessions),
      figure(section, `bearer access token revoked on instance A (logout): rejected on B after`, bearer),
    );
  } finally {
    await Promise.all([first.server.stop(), second.server.stop()]);
  }
  return results;
}

function unavailable(results: BenchResults, section: string, reason: string): BenchResults {
  results.figures.push({
    section,
    figure: 'revocation propagation between two instances',
    value: `not run: ${reason}`,
  });
  return results;
}

async function sessionPropagation(a: RunningServer, b: RunningServer): Promise<Propagation> {
  const browser = await signUpBrowser(a.origin, 'bench-propagation@example.test');
  const { tokens } = await browser.expect<{ tokens: string[] }>(
    200,
    'GET',
    `/bench/new-sessions?count=${String(SESSION_REVOCATIONS)}`,
  );
  const propagation: Propagation = { delaysMs: [], acknowledgedMs: [], afterAckMs: [], neverRejected: 0 };
  for (const token of tokens) {
    const cookie = `${SESSION_COOKIE}=${token}`;
    const holder = new BenchClient(a.origin, BROWSER_HEADERS);
    holder.cookies.set(SESSION_COOKIE, token);
    const csrf = await csrfTokenOf(holder);
    await measureOne(b, { Cookie: cookie }, propagation, () =>
      fetch(`${a.origin}/api/auth/logout`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, Cookie: holder.cookieHeader(), 'X-CSRF-Token': csrf },
      }),
    );
  }
  return propagation;
}

async function bearerPropagation(a: RunningServer, b: RunningServer): Promise<Propagation> {
  const email = 'bench-propagation@example.test';
  const propagation: Propagation = { delaysMs: [], acknowledgedMs: [], afterAckMs: [], neverRejected: 0 };
  for (let i = 0; i < BEARER_REVOCATIONS; i += 1) {
    const { access_token: token } = await nativeTokens(a.origin, email);
    const authorization = { Authorization: `Bearer ${token}` };
    await measureOne(b, authorization, propagation, () =>
      fetch(`${a.origin}/api/auth/logout`, { method: 'POST', headers: { ...PROXY_HEADERS, ...authorization } }),
    );
  }
  return propagation;
}

/** Uses the credential on B, revokes it on A, and asks B back to back until it refuses it. */
async function measureOne(
  b: RunningServer,
  credential: Record<string, string>,
  propagation: Propagation,
  revoke: () => Promise<Response>,
): Promise<void> {
  if ((await replayStatus(b.origin, '/bench/whoami', credential)) !== 200)
    throw new Error('B refused a live credential');
  const started = performance.now();
  const acknowledged = revoke().then(async (response) => {
    await response.arrayBuffer();
    if (response.status !== 204) throw new Error(`revocation on A answered ${String(response.status)}`);
    return performance.now() - started;
  });
  let rejectedAfter: number | undefined;
  while (performance.now() - started < GIVE_UP_MS) {
    if ((await replayStatus(b.origin, '/bench/whoami', credential)) === 401) {
      rejectedAfter = performance.now() - started;
      break;
    }
  }
  const acknowledgedAfter = await acknowledged;
  propagation.acknowledgedMs.push(acknowledgedAfter);
  if (rejectedAfter === undefined) propagation.neverRejected += 1;
  else {
    propagation.delaysMs.push(rejectedAfter);
    propagation.afterAckMs.push(Math.max(0, rejectedAfter - acknowledgedAfter));
  }
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

function figure(section: string, name: string, { delaysMs, acknowledgedMs, afterAckMs, neverRejected }: Propagation) {
  const sorted = (values: readonly number[]) => [...values].sort((x, y) => x - y);
  const delays = sorted(delaysMs);
  const acks = sorted(acknowledgedMs);
  const p99 = neverRejected > 0 ? Number.POSITIVE_INFINITY : percentile(delays, 0.99);
  return {
    section,
    figure: name,
    value: `p50 ${percentile(delays, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(delays.at(-1) ?? Number.NaN).toFixed(1)} ms`,
    ratio: p99,
    ratioOf: 'p99 in ms',
    maxRatio: TARGET_P99_MS,
    note:
      `${String(acknowledgedMs.length)} revocations, timed from sending them to A; A acknowledged in p50 ` +
      `${percentile(acks, 0.5).toFixed(1)} ms; B still accepted it after A's answer: p99 ` +
      `${percentile(sorted(afterAckMs), 0.99).toFixed(1)} ms; never refused (${String(GIVE_UP_MS)} ms): ${String(neverRejected)}`,
  };
}
