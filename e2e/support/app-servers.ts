import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserMode } from './modes.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(REPO, 'apps/reader/dist/server/main.js');
const LOGS = join(REPO, 'test-results/e2e-servers');
const STARTUP_TIMEOUT_MS = 60_000;

export interface AppServerOptions {
  name: string;
  mode: BrowserMode;
  /** Origins besides the app's own that may make unsafe requests (the memory-token SPA). */
  trustedOrigins?: readonly string[];
  /**
   * NODE_ENV=production behind a TLS-terminating proxy (trusted X-Forwarded-Proto): what
   * HSTS and the plain-HTTP redirect are checked on. No browser can sign in to it over
   * http://, which is the point.
   */
  production?: boolean;
  /**
   * More settings, applied last (they win over the defaults above): e.g. MAIL_URL pointing at
   * a test's SMTP server, or a short GATEHOUSE_REAUTH_WINDOW.
   */
  env?: Readonly<Record<string, string>>;
}

/** What a test needs to reach a server and read its state. */
export interface AppServerInfo {
  name: string;
  mode: BrowserMode;
  /** http://localhost:<port> (https://localhost:<port> is the configured origin in production). */
  origin: string;
  publicOrigin: string;
  databaseFile: string;
}

export interface AppServer extends AppServerInfo {
  stop(): Promise<void>;
}

/**
 * Runs the reader as the README does (`node apps/reader/dist/server/main.js`), one process per
 * mode, on its own port and a fresh data folder, so rate limits and state never leak between
 * modes or runs.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (.ci/e2e.sh does).`);
  const port = await freePort();
  const origin = `http://localhost:${String(port)}`;
  const publicOrigin = options.production === true ? `https://localhost:${String(port)}` : origin;
  const dataDir = mkdtempSync(join(tmpdir(), `gh-e2e-${options.name}-`));
  const databaseFile = join(dataDir, 'gatehouse.sqlite');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    PORT: String(port),
    // Loopback only, IPv4, so plain-HTTP helpers can connect from other 127.x addresses.
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: publicOrigin,
    GATEHOUSE_DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${databaseFile}`,
    GATEHOUSE_BROWSER_MODE: options.mode,
    TRUSTED_ORIGINS: (options.trustedOrigins ?? []).join(','),
    // One second instead of ten: refresh-reuse tests wait out the window instead of sleeping 10 s.
    GATEHOUSE_REFRESH_GRACE: '1',
    LOG_LEVEL: 'warn',
  };
  if (options.production === true) {
    Object.assign(env, {
      NODE_ENV: 'production',
      GATEHOUSE_SECRET: 'e2e-production-secret-e2e-production-secret-0123',
      GATEHOUSE_TRUST_PROXY: '1',
      // Production refuses to start without a mail setting; `log:` writes mail to the data folder.
      MAIL_URL: 'log:',
    });
  } else {
    Object.assign(env, { NODE_ENV: 'development', READER_TEST_PAGES: '1' });
  }
  Object.assign(env, options.env);

  mkdirSync(LOGS, { recursive: true });
  const log = createWriteStream(join(LOGS, `${options.name}.log`));
  const child = spawn(process.execPath, [MAIN], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  await waitForHealth(child, origin, options.name);

  return {
    name: options.name,
    mode: options.mode,
    origin,
    publicOrigin,
    databaseFile,
    stop: async () => {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(child: ChildProcess, origin: string, name: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  // Production redirects plain HTTP; the proxy header says this hop was HTTPS.
  const headers = { 'X-Forwarded-Proto': 'https' };
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`app server ${name} exited with ${String(child.exitCode)}: see test-results/e2e-servers/`);
    }
    const healthy = await fetch(`${origin}/api/health`, { headers }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`app server ${name} did not answer /api/health within ${String(STARTUP_TIMEOUT_MS)} ms`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}
