import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import type { Reader } from '../reader.js';
import { userIdOf } from './input.js';

export function catalogueRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  routes.get('/', (c) => {
    userIdOf(c);
    return c.json({ topics: reader.catalogue.topics });
  });
  return routes;
}
