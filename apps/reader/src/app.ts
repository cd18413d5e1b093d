import { join } from 'node:path';
import type { Gatehouse } from '@gatehouse/core';
import { apiNotFound, mountGatehouse, type GatehouseEnv } from '@gatehouse/hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { deleteReaderData } from './db/user-data.js';
import type { Reader } from './reader.js';
import { firstRunRoutes } from './routes/first-run-routes.js';
import { readerRoutes } from './routes/index.js';
import { feverRoutes } from './sync/fever/routes.js';
import { greaderRoutes } from './sync/greader/routes.js';
import { mountTestPages } from './test-pages.js';

export interface ReaderAppOptions {
  gatehouse: Gatehouse;
  /** The built web app (Vite output); undefined serves the API only. */
  webRoot?: string | undefined;
  /** The feeds API; undefined serves auth only. */
  reader?: Reader | undefined;
}

/** Where reader apps sync (Google Reader and Fever dialects), with app passwords only. */
const SYNC_API_PATHS = ['/api/greader', '/api/fever'];

/** The reader's HTTP surface: Gatehouse on every route, the API, then the web app. */
export function createReaderApp({ gatehouse, webRoot, reader }: ReaderAppOptions): Hono<GatehouseEnv> {
  const app = new Hono<GatehouseEnv>();
  mountGatehouse(app, {
    gatehouse,
    remoteAddress: (c) => getConnInfo(c).remote.address,
    appPasswordPaths: reader === undefined ? [] : SYNC_API_PATHS,
  });

  // Unauthenticated and cheap: load balancers probe it, and bench/ uses it as the baseline.
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.route('/api/first-run', firstRunRoutes(gatehouse));
  if (reader !== undefined) {
    app.route('/api', readerRoutes(reader));
    app.route('/api/greader', greaderRoutes(reader, gatehouse));
    app.route('/api/fever', feverRoutes(reader, gatehouse));
    // The reader's tables live in Gatehouse's database: its deletion transaction takes them too.
    gatehouse.onAccountDeletion(({ userId, database }) => deleteReaderData(database, userId));
  }
  app.all('/api/*', apiNotFound);
  mountTestPages(app); // only with READER_TEST_PAGES=1, for e2e/ (refused in production)

  if (webRoot !== undefined) {
    // Vite puts a content hash in every asset name, so assets can be cached for good.
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', serveStatic({ root: webRoot }));
    // Client-side routes (/, /signin, /account…) all load the single page.
    app.get('*', serveStatic({ path: join(webRoot, 'index.html') }));
  }
  return app;
}
