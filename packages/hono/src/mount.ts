import { GatehouseError, type Gatehouse } from '@gatehouse/core';
import type { Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { authRoutes } from './auth-routes.js';
import type { GatehouseEnv } from './env.js';
import { gatehouseMiddleware } from './middleware.js';
import { problemErrorHandler, problemResponse } from './problem.js';

export interface MountOptions {
  gatehouse: Gatehouse;
  remoteAddress: (c: Context) => string | undefined;
  /**
   * Path prefixes whose routes authenticate with app passwords only (sync APIs for reader
   * apps): cookies are not read there, so there is no ambient credential to protect from CSRF.
   */
  appPasswordPaths?: readonly string[];
}

/** Verifiers cache the key set for a few minutes; they refetch at once on an unknown kid. */
const JWKS_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=60';

/**
 * Everything an app needs in one call: CORS for the memory-token SPA's origins, the
 * middleware on every route, the auth routes at `gatehouse.basePath`, the JWKS at the site
 * root, and problem+json for errors and for requests no route answers (including a GET to a
 * POST-only auth route). Call it before adding routes.
 */
export function mountGatehouse(app: Hono<GatehouseEnv>, options: MountOptions): void {
  const { gatehouse } = options;
  const { config } = gatehouse;
  app.onError(problemErrorHandler(gatehouse));
  app.notFound(apiNotFound);

  if (config.browserMode === 'memory-token') {
    // Only the configured origins, by exact match, never `*`: with credentials, the browser
    // lets exactly these sites read our answers and send the refresh cookie.
    const allowed = new Set(config.trustedOrigins);
    app.use(
      '/api/*',
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        credentials: true,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token'],
        exposeHeaders: ['Retry-After'],
        maxAge: 600,
      }),
    );
  }

  app.use(gatehouseMiddleware({ ...options, noStorePrefix: gatehouse.basePath }));

  app.get('/.well-known/jwks.json', async (c) => {
    const jwks = await gatehouse.jwks();
    c.header('Cache-Control', JWKS_CACHE_CONTROL);
    // Public keys: any site may read them, and no credential is involved.
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(jwks);
  });

  app.route(gatehouse.basePath, authRoutes(gatehouse));
}

/** problem+json 404 for API paths nobody handled. */
export function apiNotFound(c: Context): Response {
  return problemResponse(c, new GatehouseError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}
