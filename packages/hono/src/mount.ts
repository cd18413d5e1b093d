import { GatehouseError, type Gatehouse } from '@gatehouse/core';
import type { Context, Hono } from 'hono';
import { authRoutes } from './auth-routes.js';
import type { GatehouseEnv } from './env.js';
import { gatehouseMiddleware } from './middleware.js';
import { problemErrorHandler, problemResponse } from './problem.js';

export interface MountOptions {
  gatehouse: Gatehouse;
  remoteAddress: (c: Context) => string | undefined;
  /** Where the auth routes live; the HTTP contract says /api/auth. */
  basePath?: string;
}

/**
 * Everything an app needs in one call: the middleware on every route, the auth routes,
 * and problem+json for errors and for unknown /api paths. Call it before adding routes.
 */
export function mountGatehouse(app: Hono<GatehouseEnv>, options: MountOptions): void {
  const { gatehouse } = options;
  app.onError(problemErrorHandler(gatehouse));
  app.use(gatehouseMiddleware(options));
  app.route(options.basePath ?? '/api/auth', authRoutes(gatehouse));
}

/** problem+json 404 for API paths nobody handled. */
export function apiNotFound(c: Context): Response {
  return problemResponse(c, new GatehouseError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}
