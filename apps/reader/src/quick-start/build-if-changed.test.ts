import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm start` runs scripts/build-if-changed.mjs before the server (issue 19, item 8): a start
 * with nothing changed must not rebuild, and any change must. Tried on a small project of
 * the same shape (a workspace whose build counts its runs), so the test is quick and real:
 * the script, npm and the file system, nothing stubbed.
 */
const SCRIPT = fileURLToPath(new URL('../../../../scripts/build-if-changed.mjs', import.meta.url));

let project: string;

function write(path: string, text: string): void {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
}

/** Runs the script as `npm start` does (from the project root); returns what it printed. */
function start(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: project, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function builds(): number {
  try {
    return readFileSync(join(project, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'gh-build-stamp-'));
  write(
    'package.json',
    JSON.stringify({ name: 'p', private: true, workspaces: ['pkg'], scripts: { build: 'npm run build --workspaces' } }),
  );
  // The build fails when src/fail exists, and otherwise writes dist/ and counts itself.
  write(
    'pkg/package.json',
    JSON.stringify({
      name: 'pkg',
      scripts: {
        build:
          "node -e \"const fs=require('fs');if(fs.existsSync('src/fail'))process.exit(3);fs.mkdirSync('dist',{recursive:true});fs.appendFileSync('../builds.log','x\\n')\"",
      },
    }),
  );
  write('pkg/src/index.ts', 'export const answer = 42;\n');
});

afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('npm start’s build step', () => {
  it('builds the first time, then not again while nothing changed', () => {
    expect(start()).toMatchObject({ status: 0 });
    expect(builds()).toBe(1);
    const second = start();
    expect(second.status).toBe(0);
    expect(second.output).toContain('build: up to date');
    expect(builds()).toBe(1);
  });

  it('does not rebuild for a file touched but not changed (a checkout, a copy)', () => {
    start();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(project, 'pkg/src/index.ts'), later, later);
    start();
    expect(builds()).toBe(1);
  });

  it('rebuilds when a source changes, a file is added, or the lockfile changes', () => {
    start();
    write('pkg/src/index.ts', 'export const answer = 43;\n');
    expect(start().output).toContain('sources changed');
    expect(builds()).toBe(2);
    write('pkg/src/new.ts', 'export {};\n');
    start();
    expect(builds()).toBe(3);
    write('package-lock.json', '{}\n');
    start();
    expect(builds()).toBe(4);
  });

  it('rebuilds when a build output is gone', () => {
    start();
    rmSync(join(project, 'pkg/dist'), { recursive: true });
    expect(start().output).toContain('no build yet in pkg');
    expect(builds()).toBe(2);
  });

  it('stops the start when the build fails, and tries again next time even if the sources go back', () => {
    start();
    write('pkg/src/fail', '');
    write('pkg/src/index.ts', 'export const answer = 0;\n');
    expect(start().status).not.toBe(0);
    // Back to what was last built: the failed build may have left half its outputs.
    rmSync(join(project, 'pkg/src/fail'));
    write('pkg/src/index.ts', 'export const answer = 42;\n');
    start();
    expect(builds()).toBe(2);
  });
});
