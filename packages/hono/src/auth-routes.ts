import type { Gatehouse } from '@gatehouse/core';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { currentAuth, type GatehouseEnv } from './env.js';
import { readJsonBody } from './json-body.js';
import { problemErrorHandler } from './problem.js';

/** Auth bodies are a few fields; anything bigger is refused before it is read. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

/**
 * The session part of the HTTP contract (DESIGN.md), to mount at /api/auth behind
 * gatehouseMiddleware (mountGatehouse does both), which also marks these responses no-store.
 */
export function authRoutes(gatehouse: Gatehouse): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  routes.onError(problemErrorHandler(gatehouse));

  routes.use(bodyLimit({ maxSize: MAX_AUTH_BODY_BYTES }));

  routes.get('/csrf', (c) => {
    const { csrfToken, cookies } = gatehouse.csrfToken(c.get('authRequest'), c.get('auth'));
    setCookies(c, cookies);
    return c.json({ csrfToken });
  });

  routes.post('/signup', async (c) => {
    const { cookies, ...signedIn } = await gatehouse.accounts.signup(
      c.get('authRequest'),
      await readJsonBody(c),
      c.get('auth'),
    );
    setCookies(c, cookies);
    return c.json(signedIn, 201);
  });

  routes.post('/login', async (c) => {
    const { cookies, ...signedIn } = await gatehouse.accounts.login(
      c.get('authRequest'),
      await readJsonBody(c),
      c.get('auth'),
    );
    setCookies(c, cookies);
    return c.json(signedIn);
  });

  routes.post('/logout', async (c) => {
    setCookies(c, await gatehouse.logout(c.get('authRequest'), currentAuth(c)));
    return c.body(null, 204);
  });

  routes.post('/logout-all', async (c) => {
    setCookies(c, await gatehouse.logoutAll(c.get('authRequest'), currentAuth(c)));
    return c.body(null, 204);
  });

  routes.get('/me', (c) => c.json(gatehouse.me(currentAuth(c))));

  routes.get('/sessions', async (c) => c.json(await gatehouse.listSessions(currentAuth(c))));

  routes.delete('/sessions/:id', async (c) => {
    setCookies(c, await gatehouse.revokeSession(c.get('authRequest'), currentAuth(c), c.req.param('id')));
    return c.body(null, 204);
  });

  routes.post('/password', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    const { cookies, ...signedIn } = await gatehouse.accounts.changePassword(c.get('authRequest'), auth, body);
    setCookies(c, cookies);
    return c.json(signedIn);
  });

  return routes;
}

function setCookies(c: Context, cookies: readonly string[]): void {
  for (const cookie of cookies) c.header('Set-Cookie', cookie, { append: true });
}
