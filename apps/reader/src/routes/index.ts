import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Reader } from '../reader.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { folderRoutes } from './folder-routes.js';
import { itemRoutes } from './item-routes.js';
import { opmlRoutes } from './opml-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';

/** JSON bodies of this API are small; OPML files have their own, larger limit. */
const MAX_JSON_BYTES = 64 * 1024;

/** The reader's HTTP API (see reader-api.md), to mount under /api. */
export function readerRoutes(reader: Reader): Hono<GatehouseEnv> {
  const api = new Hono<GatehouseEnv>();
  const jsonLimit = bodyLimit({ maxSize: MAX_JSON_BYTES });
  for (const path of ['/folders/*', '/subscriptions/*', '/items/*']) api.use(path, jsonLimit);
  api.route('/folders', folderRoutes(reader));
  api.route('/subscriptions', subscriptionRoutes(reader));
  api.route('/items', itemRoutes(reader));
  api.route('/catalogue', catalogueRoutes(reader));
  api.route('/opml', opmlRoutes(reader));
  return api;
}
