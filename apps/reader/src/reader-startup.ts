import { join } from 'node:path';
import { ConfigError, type DatabaseConfig, type GatehouseConfig } from '@gatehouse/core';
import { loadCatalogue } from './catalogue/catalogue.js';
import { parseMediaProxyMode, type MediaProxyMode } from './media/media-settings.js';
import { openReader, type Reader } from './reader.js';
import type { ReaderLog } from './service/log.js';
import { loadReaderSettings } from './settings.js';

/** What the media proxy takes from Gatehouse's configuration: its key, its disk, its origin. */
export type MediaHostConfig = Pick<GatehouseConfig, 'secret' | 'dataDir' | 'publicOrigin'>;

/**
 * The reader as main.ts starts it: its tables in Gatehouse's database, its settings from
 * the environment. Bad settings stop the start with a message, like Gatehouse's own. With
 * `host`, the media proxy runs (keyed by GATEHOUSE_SECRET, cached under the data folder).
 */
export async function openReaderFor(
  database: DatabaseConfig,
  log: ReaderLog,
  env: Record<string, string | undefined> = process.env,
  host?: MediaHostConfig,
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
  const media = host && {
    secret: host.secret,
    mode: settings.mediaProxy,
    publicOrigin: host.publicOrigin,
    cacheDirectory: join(host.dataDir, 'media-cache'),
    cacheMaxBytes: settings.mediaCacheMaxBytes,
  };
  return openReader(database.filename, {
    fetchPolicy: { allowHosts: settings.fetchAllowHosts },
    catalogue,
    log,
    ...(media === undefined ? {} : { media }),
  });
}

/** READER_MEDIA_PROXY, read before Gatehouse starts: the page's CSP depends on it. */
export function mediaProxyModeFor(env: Record<string, string | undefined> = process.env): MediaProxyMode {
  try {
    return parseMediaProxyMode(env.READER_MEDIA_PROXY);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${error instanceof Error ? error.message : String(error)}`);
  }
}
