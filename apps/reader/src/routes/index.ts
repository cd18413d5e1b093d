import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { filterRoutes } from '../filters/filter-routes.js';
import { mediaRoutes } from '../media/media-routes.js';
import type { Reader } from '../reader.js';
import { itemTagRoutes, tagRoutes } from '../tags/tag-routes.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { folderRoutes } from './folder-routes.js';
import { fullTextRoutes } from './full-text-routes.js';
import { itemRoutes } from './item-routes.js';
import { opmlRoutes } from './opml-routes.js';
import { preferenceRoutes } from './preference-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';

/** JSON bodies of this API are small; OPML files have their own, larger limit. */
const MAX_JSON_BYTES = 64 * 1024;

/** The reader's HTTP API (docs/READER-API.md), to mount under /api. */
export function readerRoutes(reader: Reader): Hono<GatehouseEnv> {
  const api = new Hono<GatehouseEnv>();
  const jsonLimit = bodyLimit({ maxSize: MAX_JSON_BYTES });
  const jsonPaths = ['/folders/*', '/subscriptions/*', '/items/*', '/preferences/*', '/filters/*', '/tags/*'];
  for (const path of jsonPaths) api.use(path, jsonLimit);
  api.route('/folders', folderRoutes(reader));
  api.route('/subscriptions', subscriptionRoutes(reader));
  api.route('/items', itemRoutes(reader));
  api.route('/items', fullTextRoutes(reader));
  api.route('/items', itemTagRoutes(reader));
  api.route('/filters', filterRoutes(reader));
  api.route('/tags', tagRoutes(reader));
  api.route('/catalogue', catalogueRoutes(reader));
  api.route('/opml', opmlRoutes(reader));
  // Signed image URLs, no session needed (decision 0020); GET only, so no body limit.
  if (reader.mediaProxy !== undefined) api.route('/media', mediaRoutes(reader.mediaProxy));
  api.route('/preferences', preferenceRoutes(reader));
  return api;
}
