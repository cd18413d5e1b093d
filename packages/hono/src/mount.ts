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
 * and problem+json for errors and for requests no route answers (including a GET to a
 * POST-only auth route). Call it before adding routes.
 */
export function mountGatehouse(app: Hono<GatehouseEnv>, options: MountOptions): void {
  const { gatehouse } = options;
  const basePath = options.basePath ?? '/api/auth';
  app.onError(problemErrorHandler(gatehouse));
  app.notFound(apiNotFound);
  app.use(gatehouseMiddleware({ ...options, noStorePrefix: basePath }));
  app.route(basePath, authRoutes(gatehouse));
}

/** problem+json 404 for API paths nobody handled. */
export function apiNotFound(c: Context): Response {
  return problemResponse(c, new GatehouseError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}
