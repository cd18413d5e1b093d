import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startupBanner } from '../startup-banner.js';

/**
 * What `npm start` prints once the reader listens (issue 19, item 8): in development a plain
 * line saying where to open it, among the JSON logs; in production JSON only. The built
 * server is started as npm start starts it.
 */
const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const LISTENING = '"msg":"reader listening on ';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Starts the built server, waits for its "listening" log line, stops it; returns its stdout lines. */
async function startupOutput(env: Record<string, string>): Promise<string[]> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build -w @gatehouse/reader)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-startup-'));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      GATEHOUSE_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${dataDir}/db.sqlite`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no "listening" line within 60 s:\n${stdout}\n${stderr}`));
      }, 60_000);
      const check = () => {
        // The banner is written right after the log line: wait for the end of that write.
        if (stdout.includes(LISTENING) && stdout.endsWith('\n')) {
          clearTimeout(timer);
          setTimeout(resolve, 200);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${String(code)}):\n${stdout}\n${stderr}`));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  return stdout.split('\n').filter((line) => line !== '');
}

describe('the start-up banner', () => {
  it('names the address in development and is left out in production', () => {
    expect(startupBanner({ env: 'development', publicOrigin: 'http://localhost:3000' })).toBe(
      'Reader running: open http://localhost:3000 in your browser (Ctrl+C stops it)',
    );
    expect(startupBanner({ env: 'production', publicOrigin: 'https://reader.example' })).toBeUndefined();
  });
});

describe('what the reader prints when it starts', () => {
  it('in development: a readable "open http://localhost:<port>" line besides the JSON logs', async () => {
    const port = await freePort();
    const lines = await startupOutput({ PORT: String(port) });
    expect(lines).toContain(`Reader running: open http://localhost:${String(port)} in your browser (Ctrl+C stops it)`);
  }, 90_000);

  it('in production: every line is JSON, for the log collector', async () => {
    const port = await freePort();
    const lines = await startupOutput({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      GATEHOUSE_SECRET: 'a-production-secret-that-is-long-enough-0123456789abcdef',
      PUBLIC_ORIGIN: 'https://reader.example',
      MAIL_URL: 'smtp://mailer:secret@mail.example:587',
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    expect(lines.join('\n')).not.toContain('Reader running');
  }, 90_000);
});
