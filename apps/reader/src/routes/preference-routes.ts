import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { PreferencesPatch } from '../preferences/preferences.js';
import type { Reader } from '../reader.js';
import { jsonBody, userIdOf } from './input.js';
import { toApiPreferences } from './serializers.js';

/** The signed-in user's reading preferences: GET them, PATCH any subset. */
export function preferenceRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  routes.get('/', async (c) => {
    const preferences = await reader.preferences.get(userIdOf(c));
    return c.json({ preferences: toApiPreferences(preferences) });
  });

  routes.patch('/', async (c) => {
    const userId = userIdOf(c);
    const patch = await jsonBody(c, PreferencesPatch);
    const preferences = await reader.preferences.update(userId, patch, reader.clock());
    return c.json({ preferences: toApiPreferences(preferences) });
  });

  return routes;
}
