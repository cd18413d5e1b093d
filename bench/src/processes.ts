import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadOptions, LoadRequest, LoadResult } from './load.js';
import type { ReadyLine, ServerStats } from './servers/server-stats.js';

const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** Node flags every bench process gets: TypeScript through tsx, workspace packages from source. */
export const NODE_FLAGS = ['--conditions=source', '--import', 'tsx', '--expose-gc'];
/** BENCH_PROFILE=dir: every server writes a V8 CPU profile there when it stops. */
const PROFILE_FLAGS =
  process.env.BENCH_PROFILE === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`];

export interface RunningServer {
  origin: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export type StartOutcome = { ok: true; server: RunningServer } | { ok: false; unavailable: string };

/**
 * Starts `script` (a path under bench/) as its own Node process and waits for its ReadyLine.
 * The process's stderr is kept and shown if it dies before it is ready.
 */
export async function startServer(script: string, env: Record<string, string> = {}): Promise<StartOutcome> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...PROFILE_FLAGS, script], {
    cwd: BENCH_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const line = await firstLine(child);
  if (line === undefined) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start:\n${stderr}`);
  }
  const ready = JSON.parse(line) as ReadyLine;
  if (!ready.ready) {
    await stopChild(child);
    return { ok: false, unavailable: ready.unavailable };
  }
  const origin = `http://127.0.0.1:${String(ready.port)}`;
  return {
    ok: true,
    server: {
      origin,
      stats: () => readStats(origin),
      stop: () => stopChild(child),
    },
  };
}

async function readStats(origin: string): Promise<ServerStats> {
  // The Gatehouse server runs with production settings behind a (pretend) TLS proxy.
  const response = await fetch(`${origin}/bench/stats`, {
    headers: { 'X-Forwarded-Proto': 'https' },
    redirect: 'manual',
  });
  if (response.status !== 200) throw new Error(`${origin}/bench/stats: ${String(response.status)}`);
  return (await response.json()) as ServerStats;
}

async function firstLine(child: ChildProcess): Promise<string | undefined> {
  if (child.stdout === null) return undefined;
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      if (line.startsWith('{"ready"')) return line;
    }
    return undefined;
  } finally {
    clearTimeout(timer);
    // Later output (if any) is drained so the child never blocks on a full pipe.
    child.stdout.resume();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs `script` to completion in its own process and returns the JSON line it printed last. */
export async function runToCompletion<T>(script: string, env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, [...NODE_FLAGS, script], {
    cwd: BENCH_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const last = stdout.trim().split('\n').pop();
  if (code !== 0 || !last?.startsWith('{')) {
    throw new Error(`${script} failed (exit ${String(code)}):\n${stderr}`);
  }
  return JSON.parse(last) as T;
}

/**
 * Runs a load in its own process (src/load-process.ts): `started` resolves when that process
 * begins loading, `done` with its result.
 */
export function loadInOwnProcess(
  origin: string,
  request: LoadRequest,
  options: LoadOptions,
): { started: Promise<void>; done: Promise<LoadResult> } {
  const child = spawn(process.execPath, [...NODE_FLAGS, 'src/load-process.ts'], {
    cwd: BENCH_ROOT,
    env: { ...process.env, BENCH_LOAD: JSON.stringify({ origin, request, options }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines: string[] = [];
  let announceStart: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (announceStart = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (line.startsWith('{"started"')) announceStart();
  });
  const done = (async () => {
    const [code] = (await once(child, 'exit')) as [number | null];
    announceStart();
    const last = lines.at(-1);
    if (code !== 0 || !last?.startsWith('{"rps"'))
      throw new Error(`load process failed (exit ${String(code)}):\n${stderr}`);
    return JSON.parse(last) as LoadResult;
  })();
  return { started, done };
}
