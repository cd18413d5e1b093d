import { dirname, join } from 'node:path';
import type { Gatehouse, GatehouseStores } from '@gatehouse/core';
import { createReaderApp } from '../app.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { FetchPolicy } from '../feeds/fetch-policy.js';
import type { MediaProxyOptions } from '../media/media-proxy.js';
import { openReader, type Reader } from '../reader.js';
import type { ReaderLog } from '../service/log.js';
import { startTestGatehouse } from './test-gatehouse.js';

export interface ReaderTestServerOptions {
  fetchPolicy?: Partial<FetchPolicy>;
  catalogue?: Catalogue;
  /** Where the reader logs (silent by default): tests read what the operator would. */
  log?: ReaderLog;
  /**
   * Runs the media proxy (keyed by the test secret, cached beside the database, allow-list
   * from fetchPolicy); without it, images are not proxied (mode `none`).
   */
  media?: Partial<Pick<MediaProxyOptions, 'mode' | 'cacheMaxBytes' | 'fetchPolicy'>>;
}

export interface ReaderTestServer {
  origin: string;
  reader: Reader;
  gatehouse: Gatehouse;
  stores: GatehouseStores;
  databaseFile: string;
  /** The clock both Gatehouse and the reader read; move it with `advance`. */
  now: () => number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * The reader app as main.ts wires it (Gatehouse + the feeds API on one SQLite file), on a
 * real HTTP port, with a clock the test moves. The scheduler is not started: tests call
 * `reader.scheduler.runDue()` so nothing happens behind their back.
 */
export async function startReaderTestServer(options: ReaderTestServerOptions = {}): Promise<ReaderTestServer> {
  let now = Date.parse('2024-06-01T12:00:00Z');
  const clock = () => now;
  const host = await startTestGatehouse({ host: '127.0.0.1', clock });
  const reader = await openReader(host.databaseFile, {
    clock,
    ...(options.fetchPolicy ? { fetchPolicy: options.fetchPolicy } : {}),
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.media
      ? {
          media: {
            secret: host.config.secret,
            publicOrigin: host.origin,
            cacheDirectory: join(dirname(host.databaseFile), 'media-cache'),
            mode: options.media.mode ?? 'http-only',
            cacheMaxBytes: options.media.cacheMaxBytes ?? 64 * 1024 * 1024,
            ...(options.media.fetchPolicy ? { fetchPolicy: options.media.fetchPolicy } : {}),
          },
        }
      : {}),
  });
  host.answerWith(createReaderApp({ gatehouse: host.gatehouse, reader }));

  return {
    origin: host.origin,
    reader,
    gatehouse: host.gatehouse,
    stores: host.stores,
    databaseFile: host.databaseFile,
    now: clock,
    advance: (ms) => {
      now += ms;
    },
    close: () => host.close(() => reader.close()),
  };
}
