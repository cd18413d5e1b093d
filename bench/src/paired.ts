import { load, TIMING, type LoadRequest, type LoadResult } from './load.js';
import type { RunningServer } from './processes.js';

/** Baseline and scenario alternate in slices this long, this many times each (BENCH_DURATION in all). */
const SLICE_COUNT = Number(process.env.BENCH_SLICES ?? '4');
export const SLICES = { count: SLICE_COUNT, seconds: TIMING.durationSeconds / SLICE_COUNT };

export interface PairedSide {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** Share of one core the server used while this side was loading it. */
  serverCpu: number;
}

export interface Paired {
  baseline: PairedSide;
  scenario: PairedSide;
}

/**
 * The scenario and the baseline on the same server in alternating slices (B S B S…),
 * after a warm-up of the scenario. The machine is shared: whatever a neighbour's test
 * suite takes from one side in a given second it takes from the other a second later,
 * so the ratio holds better than rates measured a minute apart.
 */
export async function paired(
  server: RunningServer,
  baseline: LoadRequest,
  scenario: LoadRequest,
  scenarioOptions: { connections?: number } = {},
): Promise<Paired> {
  await load(server.origin, scenario, { ...scenarioOptions, durationSeconds: TIMING.warmupSeconds, warmup: false });
  const sides = { baseline: [] as Slice[], scenario: [] as Slice[] };
  for (let slice = 0; slice < SLICES.count; slice += 1) {
    sides.baseline.push(await timedSlice(server, baseline));
    sides.scenario.push(await timedSlice(server, scenario, scenarioOptions));
  }
  return { baseline: combine(sides.baseline), scenario: combine(sides.scenario) };
}

interface Slice {
  result: LoadResult;
  seconds: number;
  cpuMicros: number;
}

async function timedSlice(
  server: RunningServer,
  request: LoadRequest,
  options: { connections?: number } = {},
): Promise<Slice> {
  const cpuBefore = (await server.stats()).cpuMicros;
  const started = performance.now();
  const result = await load(server.origin, request, { ...options, durationSeconds: SLICES.seconds, warmup: false });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = (await server.stats()).cpuMicros;
  return { result, seconds, cpuMicros: cpuAfter - cpuBefore };
}

function combine(slices: readonly Slice[]): PairedSide {
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const loadSeconds = slices.reduce((sum, slice) => sum + slice.result.seconds, 0);
  const succeeded = slices.reduce((sum, slice) => sum + slice.result.succeeded, 0);
  return {
    rps: succeeded / loadSeconds,
    // Slices are equally long: the worst slice's p99 is the honest summary.
    p50Ms: Math.max(...slices.map((slice) => slice.result.p50Ms)),
    p99Ms: Math.max(...slices.map((slice) => slice.result.p99Ms)),
    failures: slices.reduce((sum, slice) => sum + slice.result.failures, 0),
    serverCpu: slices.reduce((sum, slice) => sum + slice.cpuMicros, 0) / (seconds * 1e6),
  };
}
