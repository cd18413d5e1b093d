import { ConfigError, type DatabaseConfig } from '@gatehouse/core';
import { loadCatalogue } from './catalogue/catalogue.js';
import { openReader, type Reader } from './reader.js';
import type { ReaderLog } from './service/log.js';
import { loadReaderSettings } from './settings.js';

/**
 * The reader as main.ts starts it: its tables in Gatehouse's database, its settings from
 * the environment. Bad settings stop the start with a message, like Gatehouse's own.
 */
export async function openReaderFor(
  database: DatabaseConfig,
  log: ReaderLog,
  env: Record<string, string | undefined> = process.env,
): Promise<Reader> {
  if (database.kind !== 'sqlite') {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: the reader keeps its feeds in SQLite for now (PostgreSQL is the scale-out issue)',
    );
  }
  let settings;
  let catalogue;
  try {
    settings = loadReaderSettings(env);
    catalogue = loadCatalogue(settings.catalogueFile);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${error instanceof Error ? error.message : String(error)}`);
  }
  return openReader(database.filename, { fetchPolicy: { allowHosts: settings.fetchAllowHosts }, catalogue, log });
}
