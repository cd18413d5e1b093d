import type { Gatehouse } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';

/**
 * GET /api/first-run → `{ firstRun }`: true while the install has no account, so the web app
 * opens on "Create account" instead of greeting its first visitor with "Welcome back".
 *
 * Why the server, and not "this browser has signed in before" in localStorage: the question
 * is about the install (a returning user on a new phone should still find the sign-in form
 * first). Why it may be public: sign-up is open, so "nobody has an account yet" is what any
 * stranger learns by signing up, and once an account exists the answer says only that one
 * does — never how many, or whose.
 */
export function firstRunRoutes(gatehouse: Gatehouse): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  routes.get('/', async (c) => {
    const firstRun = !(await gatehouse.stores.users.hasAny());
    // The answer changes with the first sign-up: no cache may keep the old one.
    c.header('Cache-Control', 'no-store');
    return c.json({ firstRun });
  });
  return routes;
}
