import autocannon, { type AutocannonOptions, type AutocannonRequest } from 'autocannon';

/** How long each measurement runs, after a warm-up whose numbers are thrown away. */
export const TIMING = {
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? '1'),
  durationSeconds: Number(process.env.BENCH_DURATION ?? '4'),
  connections: 10,
};

export interface LoadResult {
  /** Successful (2xx) responses per second: a 401 is not a "who am I" answered. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses plus socket errors and timeouts. */
  failures: number;
  total: number;
  /** 2xx responses, and the run's length in seconds. */
  succeeded: number;
  seconds: number;
}

export type LoadRequest = Omit<AutocannonRequest, 'setupRequest' | 'onResponse'> & {
  /** A sequence instead of one fixed request (e.g. refresh rotation). */
  requests?: AutocannonRequest[];
};

export interface LoadOptions {
  connections?: number;
  /** Requests per second from all connections; none: as fast as the server answers. */
  overallRate?: number;
  durationSeconds?: number;
  warmup?: boolean;
  /**
   * p50 and p99 from every 2xx response's own timing (process.hrtime, fractional ms) instead
   * of autocannon's histogram, which keeps whole milliseconds: a quiet p99 under 1 ms shows
   * there as 0 or 1. Costs the generator a callback per response, so only for fixed-rate probes.
   */
  exactLatency?: boolean;
}

/**
 * Runs autocannon in this process (the orchestrator), which is never the server's process:
 * the two share the machine's cores but not an event loop.
 */
export async function load(origin: string, request: LoadRequest, options: LoadOptions = {}): Promise<LoadResult> {
  const { path, ...rest } = request;
  const base: AutocannonOptions = {
    // autocannon takes the path of a single request from the URL, not from `path`.
    url: `${origin}${path ?? ''}`,
    connections: options.connections ?? TIMING.connections,
    timeout: 10,
    ...rest,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  };
  if (options.warmup !== false && TIMING.warmupSeconds > 0) {
    await autocannon({ ...base, duration: TIMING.warmupSeconds });
  }
  const run = autocannon({ ...base, duration: options.durationSeconds ?? TIMING.durationSeconds });
  const latenciesMs: number[] = [];
  if (options.exactLatency === true) {
    run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    });
  }
  const result = await run;
  const exact = options.exactLatency === true;
  return {
    rps: result['2xx'] / result.duration,
    p50Ms: exact ? percentile(latenciesMs, 0.5) : result.latency.p50,
    p99Ms: exact ? percentile(latenciesMs, 0.99) : result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
    succeeded: result['2xx'],
    seconds: result.duration,
  };
}

/** Nearest-rank percentile; NaN when nothing succeeded, so a dead probe cannot pass. */
function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}
