import { fileURLToPath } from 'node:url';
import { resetScaleOutBackends, scaleOutBackendsReachable } from './backends.js';
import { TIMING } from './load.js';
import { describeMachine, finishMachine } from './machine.js';
import { consoleTable, markdownBlock, writeBenchmarks } from './report.js';
import type { BenchResults } from './results.js';
import { runGatehouse } from './scenarios/gatehouse.js';
import { runPeers } from './scenarios/peers.js';
import { runReader } from './scenarios/reader.js';
import { runRevocationPropagation } from './scenarios/revocation.js';

/**
 * `npm run bench`: every scenario, each server in its own process, then the table on the
 * terminal and in docs/BENCHMARKS.md. Meant to finish within five minutes on two cores.
 */
const BENCHMARKS_FILE = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));

const startedAt = new Date();
const started = performance.now();
const machine = describeMachine();
const results: BenchResults = { throughput: [], figures: [] };

async function phase(name: string, run: () => Promise<BenchResults>): Promise<void> {
  const phaseStarted = performance.now();
  process.stdout.write(`▸ ${name}…`);
  const outcome = await run();
  results.throughput.push(...outcome.throughput);
  results.figures.push(...outcome.figures);
  process.stdout.write(` ${((performance.now() - phaseStarted) / 1000).toFixed(0)} s\n`);
}

await phase('Gatehouse on SQLite', () => runGatehouse({ name: 'sqlite', section: 'Gatehouse · SQLite', target: 0.8 }));
const scaleOutSection = 'Gatehouse · PostgreSQL + Redis';
const unreachable = await scaleOutBackendsReachable();
if (unreachable === undefined) {
  await phase('Gatehouse on PostgreSQL + Redis', () =>
    runGatehouse({ name: 'postgres-redis', section: scaleOutSection, target: 0.7, reset: resetScaleOutBackends }),
  );
  await phase('revocation propagation, two instances', () =>
    runRevocationPropagation(scaleOutSection, resetScaleOutBackends),
  );
} else {
  results.throughput.push({ section: scaleOutSection, scenario: 'all scenarios', note: `not run: ${unreachable}` });
}
await phase('peers', runPeers);
await phase('reader', runReader);

const seconds = (performance.now() - started) / 1000;
const facts = {
  machine: finishMachine(machine),
  startedAt,
  seconds,
  commands: ['npm run bench', '# = cd bench && node --conditions=source --import tsx src/run.ts'],
  timing: TIMING,
};
process.stdout.write(`\n${consoleTable(results)}\n\nTotal ${seconds.toFixed(0)} s. Written to ${BENCHMARKS_FILE}\n`);
await writeBenchmarks(BENCHMARKS_FILE, markdownBlock(results, facts));
