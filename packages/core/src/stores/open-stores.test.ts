import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/instance-process.js';
import { TEST_POSTGRES_URL, withSearchPath } from '../../../../test-support/test-backend.js';
import { loadConfig } from '../config.js';
import { openStores } from './index.js';

// Start-up: a store that is configured but cannot be used stops the start with a message
// naming the variable, instead of an instance that serves and fails every request.

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function config(env: Record<string, string>) {
  const directory = mkdtempSync(join(tmpdir(), 'gh-open-'));
  directories.push(directory);
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', GATEHOUSE_DATA_DIR: directory, ...env });
}

describe('openStores refuses to start', () => {
  it('when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    await expect(
      openStores(config({ DATABASE_URL: `postgres://postgres@127.0.0.1:${String(port)}/test` })),
    ).rejects.toThrow('DATABASE_URL: cannot connect to PostgreSQL');
  });

  it('when the schema in DATABASE_URL does not exist, rather than filling `public`', async () => {
    const url = withSearchPath(TEST_POSTGRES_URL, `gh_missing_${String(process.pid)}`);
    await expect(openStores(config({ DATABASE_URL: url }))).rejects.toThrow(/DATABASE_URL: schema .* does not exist/);
  });

  it('when Redis cannot be reached', async () => {
    const port = await freePort();
    const file = join(mkdtempSync(join(tmpdir(), 'gh-open-')), 'db.sqlite');
    directories.push(join(file, '..'));
    await expect(
      openStores(config({ DATABASE_URL: `sqlite:${file}`, REDIS_URL: `redis://127.0.0.1:${String(port)}` })),
    ).rejects.toThrow('REDIS_URL: cannot connect to Redis');
  });

  it('when REDIS_URL is not a Redis URL or its prefix is unsafe', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gh-open-')), 'db.sqlite');
    directories.push(join(file, '..'));
    await expect(
      openStores(config({ DATABASE_URL: `sqlite:${file}`, REDIS_URL: 'http://127.0.0.1:6379' })),
    ).rejects.toThrow('REDIS_URL: must start with redis://');
    await expect(
      openStores(config({ DATABASE_URL: `sqlite:${file}`, REDIS_URL: 'redis://127.0.0.1:6379?prefix=a*b' })),
    ).rejects.toThrow('REDIS_URL: prefix must match');
  });
});
