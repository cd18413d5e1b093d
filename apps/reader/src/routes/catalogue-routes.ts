import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { toApiCatalogue } from '../catalogue/catalogue-serializer.js';
import type { Reader } from '../reader.js';
import { userIdOf } from './input.js';

export function catalogueRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  // The same for everyone, and fixed at start-up: serialized once.
  const body = toApiCatalogue(reader.catalogue);
  routes.get('/', (c) => {
    userIdOf(c);
    return c.json(body);
  });
  return routes;
}
