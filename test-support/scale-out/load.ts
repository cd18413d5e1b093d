import type { Response as UndiciResponse } from 'undici';

/** What one request of the load may answer: `ok` when the status is the right answer. */
export type Outcome = 'ok' | 'unavailable' | 'wrong';

/**
 * Judges a response during an outage: the right answer, or 503 `store_unavailable`
 * (problem+json with Retry-After); anything else (a 500, a wrong status) is wrong.
 */
export async function judge(response: UndiciResponse, rightStatus: number): Promise<Outcome> {
  if (response.status === rightStatus) {
    await response.body?.cancel();
    return 'ok';
  }
  if (response.status === 503) {
    const body = (await response.json()) as { code?: string };
    return body.code === 'store_unavailable' && response.headers.get('retry-after') !== null ? 'unavailable' : 'wrong';
  }
  await response.body?.cancel();
  return 'wrong';
}

export interface LoadReport {
  ok: number;
  unavailable: number;
  /** Requests that got neither the right answer nor store_unavailable, described. */
  wrong: string[];
}

/**
 * Runs `workers` loops, each calling the next scenario round-robin, until stopped. A
 * scenario returns its judged outcome (see `judge`) and a label for failure messages.
 */
export function startLoad(
  scenarios: readonly (() => Promise<{ label: string; outcome: Outcome; detail?: string }>)[],
  workers = 4,
): { requests(count: number): Promise<void>; stop(): Promise<LoadReport> } {
  const report: LoadReport = { ok: 0, unavailable: 0, wrong: [] };
  let running = true;
  let next = 0;
  let done = 0;
  const waiters: { at: number; resolve: () => void }[] = [];
  const count = () => {
    done += 1;
    for (const waiter of waiters.filter((w) => w.at <= done)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const scenario = scenarios[next % scenarios.length];
      next += 1;
      if (scenario === undefined) return;
      try {
        const { label, outcome, detail } = await scenario();
        if (outcome === 'wrong') report.wrong.push(`${label}: ${detail ?? ''}`);
        else report[outcome] += 1;
      } catch (error) {
        // The instance itself failed to answer (a crash, a reset connection): never acceptable.
        report.wrong.push(`request failed: ${String(error)}`);
      }
      count();
    }
  });
  return {
    /** Resolves once `count` more scenarios have run: load measured in requests, not time. */
    requests(more: number) {
      return new Promise<void>((resolve) => waiters.push({ at: done + more, resolve }));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return report;
    },
  };
}
