import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStores, type GatehouseStores } from '@gatehouse/core';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateReaderDatabase } from './migrate.js';
import { openReaderDatabase } from './open-database.js';
import type { ReaderDatabase } from './schema.js';

let directory: string;
let file: string;
let stores: GatehouseStores;
let db: Kysely<ReaderDatabase>;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'gh-'));
  file = join(directory, 'db.sqlite');
  stores = await openSqliteStores(file);
  db = openReaderDatabase(file);
});

afterEach(async () => {
  await db.destroy();
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

async function tableNames(): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db);
  return rows.map((row) => row.name);
}

describe('migrateReaderDatabase', () => {
  it('adds the reader tables beside Gatehouse’s, with its own migration history', async () => {
    await migrateReaderDatabase(db as Kysely<unknown>);
    const tables = await tableNames();
    for (const table of [
      'feeds',
      'folders',
      'subscriptions',
      'items',
      'item_states',
      'item_search',
      'sync_numbers',
      'preferences',
      'item_full_texts',
      'filter_rules',
      'filter_hits',
      'filter_coverage',
      'tags',
      'item_tags',
      'reader_migrations',
    ]) {
      expect(tables).toContain(table);
    }
    expect(tables).toContain('users');
    const { rows } = await sql<{ name: string }>`SELECT name FROM reader_migrations ORDER BY name`.execute(db);
    expect(rows.map((row) => row.name)).toEqual([
      '0001_reader_initial',
      '0002_search_index',
      '0003_sync_numbers',
      '0004_preferences',
      '0005_full_text',
      '0006_filters_tags',
      '0007_item_images',
    ]);
    // Gatehouse's own history has none of ours.
    const gatehouse = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    expect(gatehouse.rows.map((row) => row.name).some((name) => name.startsWith('0001_reader'))).toBe(false);
  });

  it('runs again without changing anything', async () => {
    await migrateReaderDatabase(db as Kysely<unknown>);
    const before = await tableNames();
    await migrateReaderDatabase(db as Kysely<unknown>);
    expect(await tableNames()).toEqual(before);
  });

  it('enforces foreign keys: a folder deleted leaves its subscriptions in no folder', async () => {
    await migrateReaderDatabase(db as Kysely<unknown>);
    await db
      .insertInto('feeds')
      .values({ id: 'f', url: 'https://x.example/', next_fetch_at: 0, error_count: 0, created_at: 0 })
      .execute();
    await db.insertInto('folders').values({ id: 'd', user_id: 'u', name: 'D', created_at: 0 }).execute();
    await db
      .insertInto('subscriptions')
      .values({ id: 's', user_id: 'u', feed_id: 'f', folder_id: 'd', title: null, created_at: 0 })
      .execute();
    await db.deleteFrom('folders').where('id', '=', 'd').execute();
    const row = await db
      .selectFrom('subscriptions')
      .select('folder_id')
      .where('id', '=', 's')
      .executeTakeFirstOrThrow();
    expect(row.folder_id).toBeNull();
    await expect(
      db
        .insertInto('subscriptions')
        .values({ id: 't', user_id: 'u', feed_id: 'nope', folder_id: null, title: null, created_at: 0 })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/u);
  });
});
