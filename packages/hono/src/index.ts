export { mountGatehouse, apiNotFound, type MountOptions } from './mount.js';
export { authRoutes } from './auth-routes.js';
export { gatehouseMiddleware, type GatehouseMiddlewareOptions } from './middleware.js';
export { currentAuth, accountHolder, type GatehouseEnv } from './env.js';
export { problemErrorHandler, problemResponse } from './problem.js';
export { readJsonBody } from './json-body.js';
