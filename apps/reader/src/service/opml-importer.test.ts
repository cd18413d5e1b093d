import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostAllowList } from '../feeds/fetch-policy.js';
import { openReader, type Reader } from '../reader.js';
import { importOpmlEntries } from './opml-importer.js';

let directory: string;
let reader: Reader;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'gh-'));
  reader = await openReader(join(directory, 'db.sqlite'));
});

afterEach(async () => {
  await reader.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('importOpmlEntries', () => {
  it('writes nothing at all when a write fails half-way through', async () => {
    // The third feed's insert fails inside the database, after two feeds, a folder and
    // two subscriptions were already written in the same transaction.
    await sql`CREATE TRIGGER refuse_feed BEFORE INSERT ON feeds WHEN NEW.url LIKE '%/fail%'
              BEGIN SELECT RAISE(ABORT, 'refused by test'); END`.execute(reader.db);
    const entries = [
      { url: 'https://one.example/feed', title: 'One', folderName: 'Folder' },
      { url: 'https://two.example/feed', title: 'Two', folderName: null },
      { url: 'https://three.example/fail', title: 'Three', folderName: 'Folder' },
    ];
    await expect(importOpmlEntries(reader.db, 'user-1', entries, new HostAllowList([]), 0)).rejects.toThrow(
      /refused by test/u,
    );
    expect(await reader.db.selectFrom('feeds').selectAll().execute()).toEqual([]);
    expect(await reader.db.selectFrom('folders').selectAll().execute()).toEqual([]);
    expect(await reader.db.selectFrom('subscriptions').selectAll().execute()).toEqual([]);
  });

  it('reuses a folder the user already has, and makes new feeds due at once', async () => {
    await reader.folders.create('user-1', 'Existing', 0);
    const result = await importOpmlEntries(
      reader.db,
      'user-1',
      [{ url: 'https://one.example/feed', title: null, folderName: 'Existing' }],
      new HostAllowList([]),
      1_000,
    );
    expect(result).toEqual({ imported: 1, skipped: [], folders: 0 });
    expect(await reader.folders.list('user-1')).toHaveLength(1);
    expect((await reader.feeds.findByUrl('https://one.example/feed'))?.nextFetchAt).toBe(1_000);
  });
});
