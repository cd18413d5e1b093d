import { BenchClient } from '../http-client.js';
import type { FigureRow } from '../results.js';
import { BROWSER_HEADERS, csrfTokenOf } from './gatehouse-credentials.js';

/** Requests per kind; alternated, one at a time, so both kinds meet the same machine. */
const SAMPLES = Number(process.env.BENCH_RESET_SAMPLES ?? '300');

/**
 * Whether the answer to "reset my password" tells a registered address from an unknown one
 * by its timing (the issue: "always the same 202 body in about the same time"). Requests for
 * a registered and for never-registered addresses alternate, one in flight at a time, timed
 * from send to the last byte of the answer; the bodies must be identical. The figure is the
 * ratio of their medians (1.0: indistinguishable), with p90s beside it.
 */
export async function resetTimingFigure(origin: string, registeredEmail: string, section: string): Promise<FigureRow> {
  const client = new BenchClient(origin, BROWSER_HEADERS);
  const token = await csrfTokenOf(client);
  const headers = { ...BROWSER_HEADERS, 'X-CSRF-Token': token, Cookie: client.cookieHeader() };
  const times = { registered: [] as number[], unknown: [] as number[] };
  const bodies = new Set<string>();
  for (let i = 0; i < SAMPLES * 2; i += 1) {
    const kind = i % 2 === 0 ? 'registered' : 'unknown';
    // One unknown address asked for again and again, as a prober would: both kinds then find
    // their rate-limit row already there, and differ only in whether the account exists.
    const email = kind === 'registered' ? registeredEmail : 'nobody@example.test';
    const started = performance.now();
    const response = await fetch(`${origin}/api/auth/password-reset`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    const body = await response.text();
    times[kind].push(performance.now() - started);
    if (response.status !== 202) throw new Error(`password reset answered ${String(response.status)}: ${body}`);
    bodies.add(body);
  }
  const registered = percentiles(times.registered);
  const unknown = percentiles(times.unknown);
  return {
    section,
    figure: 'password reset answer: registered vs unknown address',
    value: `p50 ${registered.p50.toFixed(2)} vs ${unknown.p50.toFixed(2)} ms; p90 ${registered.p90.toFixed(2)} vs ${unknown.p90.toFixed(2)} ms`,
    ratio: registered.p50 / unknown.p50,
    ratioOf: 'unknown address, p50',
    note: `${String(SAMPLES)} of each, alternating, one at a time; ${bodies.size === 1 ? 'identical bodies' : `${String(bodies.size)} DIFFERENT bodies`}`,
  };
}

function percentiles(values: number[]): { p50: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9) };
}
