import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'test-support', 'instance-server.ts');

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

export interface InstanceProcess {
  origin: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  /** Resolves when the process printed `{"event": name}`. */
  said(event: string): Promise<void>;
  /** SIGTERM, then wait for the exit; SIGKILL if it takes longer than `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface InstanceOptions {
  /** Store and Gatehouse settings: DATABASE_URL, REDIS_URL, TRUSTED_ORIGINS, … */
  env: Record<string, string>;
  port?: number;
  /** The origin browsers use (a proxy's), if not the instance's own. */
  publicOrigin?: string;
}

const SECRET = 'scale-out-test-secret-scale-out-test-secret-0123456789';

/** Starts `instance-server.ts` as a process and waits until it serves. */
export async function startInstance(options: InstanceOptions): Promise<InstanceProcess> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${String(port)}`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_ORIGIN: options.publicOrigin ?? origin,
      GATEHOUSE_SECRET: SECRET,
      GATEHOUSE_DATA_DIR: join(tmpdir(), 'gatehouse-scale-out'),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const events = new Set<string>();
  const waiters: { event: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const line of output.split('\n')) {
      const match = /^\{"event":"([a-z_]+)"/.exec(line);
      if (match?.[1] !== undefined) events.add(match[1]);
    }
    for (const waiter of waiters.filter((w) => events.has(w.event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const said = (event: string) =>
    events.has(event)
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          waiters.push({ event, resolve });
          void exited.then(() => {
            if (!events.has(event)) reject(new Error(`instance exited before "${event}":\n${output}`));
          });
        });

  await said('listening');
  return {
    origin,
    port,
    child,
    output: () => output,
    exited,
    said,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
