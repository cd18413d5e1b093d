import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ReaderDatabase } from './schema.js';

/**
 * The reader's own connection to the database Gatehouse uses. Two connections to one SQLite
 * file is fine under WAL: readers never block, and busy_timeout waits out the other writer
 * instead of failing with SQLITE_BUSY. Foreign keys are off by default in SQLite.
 */
export function openReaderDatabase(filename: string): Kysely<ReaderDatabase> {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new SQLite(filename);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<ReaderDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
}
