import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@gatehouse/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReaderFor } from './reader-startup.js';
import { silentLog } from './service/log.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'gh-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('openReaderFor', () => {
  it('reads READER_FETCH_ALLOW_HOSTS and READER_CATALOGUE_FILE', async () => {
    const catalogueFile = join(directory, 'catalogue.json');
    writeFileSync(catalogueFile, JSON.stringify({ topics: [{ id: 't', name: 'T', feeds: [] }] }));
    const reader = await openReaderFor({ kind: 'sqlite', filename: join(directory, 'db.sqlite') }, silentLog, {
      READER_FETCH_ALLOW_HOSTS: '127.0.0.1:4010, feeds.internal',
      READER_CATALOGUE_FILE: catalogueFile,
    });
    try {
      expect(reader.fetcher.policy.allowHosts).toEqual(['127.0.0.1:4010', 'feeds.internal']);
      expect(reader.allowList.allowsUrl(new URL('http://127.0.0.1:4010/x'))).toBe(true);
      expect(reader.allowList.allowsUrl(new URL('http://127.0.0.1:4011/x'))).toBe(false);
      expect(reader.catalogue.topics.map((topic) => topic.id)).toEqual(['t']);
    } finally {
      await reader.close();
    }
  });

  it('allows no private host when the setting is missing, and ships the default catalogue', async () => {
    const reader = await openReaderFor({ kind: 'sqlite', filename: join(directory, 'db.sqlite') }, silentLog, {});
    try {
      expect(reader.fetcher.policy.allowHosts).toEqual([]);
      expect(reader.catalogue.topics.flatMap((topic) => topic.feeds).length).toBeGreaterThan(40);
    } finally {
      await reader.close();
    }
  });

  it('stops with a ConfigError on bad settings or PostgreSQL', async () => {
    const sqlite = { kind: 'sqlite' as const, filename: join(directory, 'db.sqlite') };
    await expect(openReaderFor(sqlite, silentLog, { READER_FETCH_ALLOW_HOSTS: 'http://a/b' })).rejects.toThrow(
      ConfigError,
    );
    await expect(
      openReaderFor(sqlite, silentLog, { READER_CATALOGUE_FILE: join(directory, 'missing.json') }),
    ).rejects.toThrow(/READER_CATALOGUE_FILE/u);
    await expect(openReaderFor({ kind: 'postgres', url: 'postgres://x' }, silentLog, {})).rejects.toThrow(ConfigError);
  });
});
