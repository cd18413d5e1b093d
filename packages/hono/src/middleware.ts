import { NO_STORE_HEADERS, resolveClientIp, type AuthRequest, type Gatehouse } from '@gatehouse/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { GatehouseEnv } from './env.js';

export interface GatehouseMiddlewareOptions {
  gatehouse: Gatehouse;
  /** The peer address of the connection (on Node: getConnInfo(c).remote.address). */
  remoteAddress: (c: Context) => string | undefined;
  /** Responses under this path carry credentials or facts about them: never cached. */
  noStorePrefix?: string;
  /** Routes under these prefixes authenticate with app passwords: no cookie, no CSRF check. */
  appPasswordPaths?: readonly string[];
}

/**
 * Runs on every request, in this order:
 *   1. security headers (and no-store under the auth routes) on the response, whatever
 *      the outcome;
 *   2. production: plain HTTP is redirected to the public https:// origin;
 *   3. the credential (Authorization header, access cookie or session cookie) is resolved
 *      to a user (or none);
 *   4. unsafe methods must pass the CSRF checks, signed in or not — login and signup
 *      included, which is what stops login CSRF — unless the credential is in a header.
 */
export function gatehouseMiddleware(options: GatehouseMiddlewareOptions): MiddlewareHandler<GatehouseEnv> {
  const { gatehouse, remoteAddress } = options;
  const { config } = gatehouse;
  const headers = Object.entries(gatehouse.responseHeaders);
  const noStoreHeaders = Object.entries(NO_STORE_HEADERS);
  const noStorePrefix = options.noStorePrefix === undefined ? undefined : `${options.noStorePrefix}/`;
  const appPasswordPrefixes = (options.appPasswordPaths ?? []).map((path) => `${path}/`);

  return async function gatehouseRequest(c, next) {
    // Set first, so even a response made by the error handler carries them.
    for (const [name, value] of headers) c.header(name, value);
    if (noStorePrefix !== undefined && `${c.req.path}/`.startsWith(noStorePrefix)) {
      for (const [name, value] of noStoreHeaders) c.header(name, value);
    }
    if (config.production && requestProtocol(c, config.trustProxyHops) !== 'https:') {
      const url = new URL(c.req.url);
      // Redirect to our configured origin, never to the Host header an attacker chose.
      return c.redirect(`${config.publicOrigin}${url.pathname}${url.search}`, 308);
    }
    const authRequest: AuthRequest = {
      method: c.req.method,
      headers: c.req.raw.headers,
      ip: resolveClientIp(remoteAddress(c) ?? '', c.req.header('x-forwarded-for') ?? null, config.trustProxyHops),
    };
    c.set('authRequest', authRequest);
    c.set('verifiedEmailRequired', config.accounts.requireVerifiedEmail);
    if (appPasswordPrefixes.some((prefix) => `${c.req.path}/`.startsWith(prefix))) {
      // Sync APIs: a session cookie must never stand in for an app password, so none is read.
      for (const [name, value] of noStoreHeaders) c.header(name, value);
      c.set('auth', undefined);
      await next();
      return;
    }
    const auth = await gatehouse.authenticate(authRequest);
    c.set('auth', auth);
    await gatehouse.verifyCsrf(authRequest, auth, c.req.path);
    await next();
  };
}

function requestProtocol(c: Context, trustProxyHops: number): string {
  if (trustProxyHops > 0) {
    const forwarded = c.req.header('x-forwarded-proto')?.split(',').pop()?.trim().toLowerCase();
    if (forwarded === 'https' || forwarded === 'http') return `${forwarded}:`;
  }
  return new URL(c.req.url).protocol;
}
