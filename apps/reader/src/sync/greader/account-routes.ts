import { GatehouseError, type Gatehouse } from '@gatehouse/core';
import { Hono } from 'hono';
import type { GreaderEnv } from './env.js';
import { ProtocolError } from './protocol-errors.js';

/** Email and app password, as a form, a query or both (older clients GET with a query). */
export function clientLoginRoutes(gatehouse: Gatehouse): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();
  routes.on(['GET', 'POST'], '/accounts/ClientLogin', async (c) => {
    const params = c.get('params');
    const email = params.get('Email');
    const password = params.get('Passwd');
    if (email === undefined || password === undefined) throw badAuthentication();
    let token: string;
    try {
      // Only an app password passes: the account password is refused here by the core (a
      // leaked sync client config must never be a way into the account itself).
      ({ token } = await gatehouse.appPasswordSignIn(c.get('authRequest'), email, password));
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'invalid_credentials') throw badAuthentication();
      throw error;
    }
    if (params.get('output') === 'json') return c.json({ SID: token, LSID: token, Auth: token });
    // Only Auth is used by clients; SID and LSID are there because some (Vienna) want all three.
    return c.text(`SID=${token}\nLSID=${token}\nAuth=${token}\n`);
  });
  return routes;
}

/** The routes about the signed-in user and the edit token. */
export function accountRoutes(gatehouse: Gatehouse): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();
  // No trailing newline: some clients (newsboat) send back the whole body as T.
  routes.get('/reader/api/0/token', (c) => c.text(gatehouse.appEditToken(c.get('appUser'))));

  routes.get('/reader/api/0/user-info', (c) => {
    const user = c.get('appUser');
    return c.json({ userId: user.userId, userName: user.email, userProfileId: user.userId, userEmail: user.email });
  });
  return routes;
}

/** ClientLogin's refusal: the same for an unknown email, a wrong password and a missing field. */
function badAuthentication(): ProtocolError {
  return new ProtocolError(401, 'BadAuthentication');
}
