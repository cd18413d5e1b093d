// `npm start` without the wait: runs `npm run build` only when a workspace's files differ
// from those of the last successful build, or a build output is missing. Compares contents
// (SHA-256), not modification times: a checkout or a copy changes times, not code, and a
// clock skew must never skip a build that was due. Run from the project root (npm does).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const STAMP = join(root, 'node_modules', '.cache', 'gatehouse-build.sha256');
/** Generated or local, never an input of the build. */
const SKIPPED = new Set(['node_modules', 'dist', 'data', 'coverage', 'test-results', '.git']);
/** Root files every workspace build reads. */
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.base.json'];

function workspacesWithBuild() {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces.filter((dir) => {
    const manifest = join(root, dir, 'package.json');
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.build !== undefined;
  });
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** One hash of every input file's path and content, in a fixed order. */
function inputsHash(workspaces) {
  const files = [
    ...SHARED_INPUTS.map((name) => join(root, name)),
    ...workspaces.flatMap((dir) => filesUnder(join(root, dir))),
  ]
    .filter((path) => existsSync(path))
    .map((path) => relative(root, path))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(
      createHash('sha256')
        .update(readFileSync(join(root, file)))
        .digest(),
    );
  }
  return hash.digest('hex');
}

const workspaces = workspacesWithBuild();
const current = inputsHash(workspaces);
const missing = workspaces.filter((dir) => !existsSync(join(root, dir, 'dist')));
const previous = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : undefined;

if (missing.length === 0 && previous === current) {
  console.log('build: up to date (nothing changed since the last build)');
} else {
  console.log(
    missing.length > 0
      ? `build: building (no build yet in ${missing.join(', ')})`
      : 'build: building (sources changed)',
  );
  // No stamp while building: a build that fails halfway leaves outputs no stamp vouches for.
  rmSync(STAMP, { force: true });
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // The hash taken before the build: a file edited while it ran is seen next time.
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  writeFileSync(STAMP, `${current}\n`);
}
