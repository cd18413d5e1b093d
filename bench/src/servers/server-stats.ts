import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * What the orchestrator asks every server under test around a run: the CPU time this process
 * used (to tell whether the server or the load generator was the bottleneck), its memory, and
 * how late its event loop ran since the previous question (is anything blocking it?).
 */
export interface ServerStats {
  cpuMicros: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** How late the event loop ran since the last stats request, in ms (p99 and max). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

// The histogram records the time between timer ticks, this interval included: it is taken off.
const LOOP_DELAY_RESOLUTION_MS = 1;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
loopDelay.enable();
const lateBy = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_DELAY_RESOLUTION_MS);

export function serverStats(): ServerStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const stats = {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    loopDelayP99Ms: lateBy(loopDelay.percentile(99)),
    loopDelayMaxMs: lateBy(loopDelay.max),
  };
  loopDelay.reset();
  return stats;
}

/** The one line a server prints when it is ready; the orchestrator waits for it on stdout. */
export type ReadyLine = { ready: true; port: number } | { ready: false; unavailable: string };

export function announce(line: ReadyLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
