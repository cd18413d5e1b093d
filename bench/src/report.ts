import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import type { Machine } from './machine.js';
import { SLICES } from './paired.js';
import { cpuRatioOf, meetsTarget, ratioOf, type BenchResults, type FigureRow, type ThroughputRow } from './results.js';

export interface RunFacts {
  machine: Machine;
  startedAt: Date;
  seconds: number;
  commands: string[];
  timing: { warmupSeconds: number; durationSeconds: number; connections: number };
}

const BEGIN =
  '<!-- bench:begin — written by `npm run bench` (bench/src/report.ts); edit the generator, not this block -->';
const END = '<!-- bench:end -->';

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));
const yesNo = (value: boolean | undefined) => (value === undefined ? '—' : value ? 'yes' : 'no');

function verdict(row: ThroughputRow): string {
  const met = meetsTarget(row);
  if (met === undefined || row.target === undefined) return '—';
  return `≥ ${row.target.toFixed(1)}: ${met ? 'met' : 'missed'}`;
}

function throughputCells(row: ThroughputRow): string[] {
  if (row.rps === undefined) return [row.section, row.scenario, row.note ?? '—', '', '', '', '', '', '', '', ''];
  return [
    row.section,
    row.scenario,
    fixed(row.rps, 0),
    fixed(row.baselineRps, 0),
    `${fixed(row.p50Ms, 0)} / ${fixed(row.p99Ms, 0)}`,
    fixed(ratioOf(row), 2),
    fixed(cpuRatioOf(row), 2),
    verdict(row),
    yesNo(row.rejectsAfterLogout),
    `${fixed(row.serverCpu, 2)}${row.failures ? `, ${String(row.failures)} failed` : ''}`,
    row.note ?? '',
  ];
}

const THROUGHPUT_HEADER = [
  'section',
  'scenario',
  'req/s',
  'baseline req/s',
  'p50 / p99 ms',
  'ratio',
  'ratio per CPU',
  'target',
  'rejects after logout',
  'server CPU',
  'note',
];

function figureCells(row: FigureRow): string[] {
  const within = row.ratio === undefined || row.maxRatio === undefined ? undefined : row.ratio <= row.maxRatio;
  return [
    row.section,
    row.figure,
    row.value,
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)} (${row.ratioOf ?? ''})`,
    row.maxRatio === undefined ? '—' : `≤ ${String(row.maxRatio)}: ${within === true ? 'met' : 'missed'}`,
    row.note ?? '',
  ];
}

const FIGURE_HEADER = ['section', 'figure', 'value', 'ratio', 'target', 'note'];

function markdownTable(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}

/** Plain columns for the terminal. */
export function consoleTable(results: BenchResults): string {
  const rows = [THROUGHPUT_HEADER, ...results.throughput.map(throughputCells)].map((cells) => cells.slice(0, 10));
  const figures = [FIGURE_HEADER, ...results.figures.map(figureCells)];
  return `${columns(rows)}\n\n${columns(figures)}`;
}

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length))) ?? [];
  return rows.map((cells) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

function missedTargets(results: BenchResults): string[] {
  const throughput = results.throughput
    .filter((row) => meetsTarget(row) === false)
    .map(
      (row) => `${row.section}: ${row.scenario} at ${fixed(ratioOf(row), 2)} (per CPU ${fixed(cpuRatioOf(row), 2)})`,
    );
  const figures = results.figures
    .filter((row) => row.ratio !== undefined && row.maxRatio !== undefined && row.ratio > row.maxRatio)
    .map((row) => `${row.section}: ${row.figure} at ${fixed(row.ratio, 2)}`);
  return [...throughput, ...figures];
}

export function markdownBlock(results: BenchResults, facts: RunFacts): string {
  const { machine, timing } = facts;
  const missed = missedTargets(results);
  return [
    BEGIN,
    '',
    '# Benchmarks',
    '',
    `Measured ${facts.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} in ${facts.seconds.toFixed(0)} s on ${machine.cpuModel},`,
    `${String(machine.cores)} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}. Load average`,
    `${machine.loadAverageAtStart} at the start and ${machine.loadAverageAtEnd} at the end: the machine is shared,`,
    'so absolute rates are noisy and the ratios, measured on the same server minutes apart, are what to read.',
    '',
    'Commands:',
    '',
    '```sh',
    ...facts.commands,
    '```',
    '',
    `Every row: autocannon ${machine.autocannon} from the orchestrator process, ${String(timing.connections)} connections, against a server in`,
    `its own Node process; ${String(timing.warmupSeconds)} s warm-up, then the scenario and the baseline alternating in ${String(SLICES.count)} slices`,
    `of ${String(SLICES.seconds)} s each. The **baseline** is the same server’s \`GET /api/health\` (an unauthenticated`,
    'JSON route behind the same middleware); **ratio** = successful req/s ÷ baseline req/s. **ratio per',
    'CPU**: the same in requests per second of the server’s own CPU time, what the ratio would be if the',
    'server had its core to itself. **rejects after logout**: the credential was replayed right after',
    'logout (API key: after revocation) and got a 401. **server CPU**: share of one core the server used.',
    '',
    '## Requests',
    '',
    markdownTable(THROUGHPUT_HEADER, results.throughput.map(throughputCells)),
    '',
    '## Other figures',
    '',
    'Login storm: the /me probe runs at a fixed rate alone, then while a generator in its own process',
    'signs in flat out; its p50 and p99 come from each response’s own timing to the microsecond',
    '(autocannon’s histogram keeps whole milliseconds); **event-loop delay** is how late the server’s',
    'own event loop ran meanwhile.',
    'Revocation propagation: two server processes sharing PostgreSQL + Redis; each credential is used',
    'on B, revoked on A, and B is asked back to back until it answers 401, timed from sending the',
    'revocation to A. Heap per cached session: settled heap with the session cache full minus emptied.',
    '',
    markdownTable(FIGURE_HEADER, results.figures.map(figureCells)),
    '',
    '## Targets missed in this run',
    '',
    ...(missed.length === 0 ? ['None.'] : missed.map((line) => `- ${line}`)),
    '',
    END,
  ].join('\n');
}

/**
 * Writes the generated block into docs/BENCHMARKS.md, keeping whatever else the file holds
 * (the revocation-propagation section, the findings): the block between the markers is
 * replaced, or put first if the file has none yet.
 */
export async function writeBenchmarks(file: string, block: string): Promise<void> {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const begin = current.indexOf('<!-- bench:begin');
  const end = current.indexOf(END);
  let next: string;
  if (begin >= 0 && end > begin) next = current.slice(0, begin) + block + current.slice(end + END.length);
  else next = current.trim() === '' ? `${block}\n` : `${block}\n\n${current}`;
  // The repository's `prettier --check .` covers docs/: write it already formatted.
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(next, { ...options, filepath: file }));
}
