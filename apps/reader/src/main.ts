import { fileURLToPath } from 'node:url';
import { ConfigError, Gatehouse, loadConfig, openStores } from '@gatehouse/core';
import { serve } from '@hono/node-server';
import { createReaderApp } from './app.js';
import { articleContentSources } from './article-content-sources.js';
import { mediaProxyModeFor, openReaderFor } from './reader-startup.js';
import { startupBanner } from './startup-banner.js';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const webRoot = fileURLToPath(new URL('../web', import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig();
  const stores = await openStores(config);
  const contentSources = articleContentSources(mediaProxyModeFor(process.env));
  const gatehouse = new Gatehouse({ config, stores, contentSources });
  // Signing keys and the denylist are loaded before the first request, not during it.
  await gatehouse.ready();
  const reader = await openReaderFor(config.database, gatehouse.log, process.env, config);
  const app = createReaderApp({ gatehouse, webRoot, reader });
  reader.scheduler.start();

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    gatehouse.log.info(
      `reader listening on ${config.publicOrigin} (${config.env}, SQLite, browser mode ${config.browserMode})`,
    );
    const banner = startupBanner(config);
    if (banner !== undefined) console.log(banner);
  });

  const sweeper = setInterval(() => {
    gatehouse.sweepExpired().catch((error: unknown) => {
      gatehouse.log.error({ err: error }, 'sweep failed');
    });
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  // Finish in-flight requests, then close the store, on the signals process managers send.
  const shutdown = (signal: string) => {
    gatehouse.log.info(`${signal}: shutting down`);
    clearInterval(sweeper);
    server.close(() => {
      // The reader's scheduler waits for fetches in flight before its connection closes.
      Promise.all([reader.close(), gatehouse.close()])
        .then(() => stores.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  };
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('reader: failed to start', error);
  }
  process.exit(1);
});
