import type { Gatehouse } from '@gatehouse/core';
import type { MiddlewareHandler } from 'hono';
import type { ReaderLog } from '../../service/log.js';
import type { GreaderEnv } from './env.js';
import { unauthorized } from './protocol-errors.js';

/** Longer than any token Gatehouse issues; anything longer is not worth a database look-up. */
const MAX_TOKEN_LENGTH = 512;

const GOOGLE_LOGIN = /^GoogleLogin\s+auth=([^\s,]+)\s*$/iu;

/** The token in `Authorization: GoogleLogin auth=<token>`; undefined for any other shape. */
export function googleLoginToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > MAX_TOKEN_LENGTH + 32) return undefined;
  const token = GOOGLE_LOGIN.exec(header)?.[1];
  return token === undefined || token.length > MAX_TOKEN_LENGTH ? undefined : token;
}

/**
 * Every route but ClientLogin: the app-password token from the Authorization header, checked
 * against the database on every request, so a revoked app password stops working at once on
 * every instance (spec: no cache). Cookies are never read here (the Gatehouse middleware
 * leaves `auth` unset under /api/greader): a session must not stand in for an app password,
 * or any site could drive these routes with the victim's cookie.
 */
export function requireAppUser(gatehouse: Gatehouse, log: ReaderLog): MiddlewareHandler<GreaderEnv> {
  return async function greaderAuth(c, next) {
    const token = googleLoginToken(c.req.header('authorization'));
    const user = token === undefined ? undefined : await gatehouse.authenticateAppToken(c.get('authRequest'), token);
    if (user === undefined) {
      log.warn(
        { ip: c.get('authRequest').ip, reason: token === undefined ? 'no GoogleLogin header' : 'token refused' },
        'greader: request refused',
      );
      throw unauthorized();
    }
    c.set('appUser', user);
    await next();
  };
}

/**
 * POSTs also carry the edit token `T` from GET /token (Google Reader's CSRF defence, kept
 * because clients expect the dance and the bad-token header). Trimmed: newsboat sends back
 * the token endpoint's whole body, newline included.
 */
export function requireEditToken(gatehouse: Gatehouse, log: ReaderLog): MiddlewareHandler<GreaderEnv> {
  return async function greaderEditToken(c, next) {
    if (c.req.method === 'POST') {
      const user = c.get('appUser');
      const token = c.get('params').get('T')?.trim();
      if (!gatehouse.checkAppEditToken(user, token)) {
        log.warn({ userId: user.userId, ip: c.get('authRequest').ip }, 'greader: POST without a valid T token');
        throw unauthorized(true);
      }
    }
    await next();
  };
}
