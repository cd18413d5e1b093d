import type { Gatehouse } from '@gatehouse/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Reader } from '../../reader.js';
import { accountRoutes, clientLoginRoutes } from './account-routes.js';
import type { GreaderEnv } from './env.js';
import { requireAppUser, requireEditToken } from './greader-auth.js';
import { ProtocolError, protocolErrorHandler } from './protocol-errors.js';
import { readParams } from './request-params.js';
import { streamRoutes } from './stream-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { tagRoutes } from './tag-routes.js';
import { unreadRoutes } from './unread-routes.js';

/** Forms here are ids and names; 64 KiB holds a thousand long item ids. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The Google Reader API (as FreshRSS and Miniflux serve it), mounted at /api/greader. It
 * authenticates with app passwords only: ClientLogin trades one for a token, every other
 * route wants that token in `Authorization: GoogleLogin auth=…`, and every POST also the
 * edit token `T`. Errors are plain text in the protocol's style (protocol-errors.ts).
 */
export function greaderRoutes(reader: Reader, gatehouse: Gatehouse): Hono<GreaderEnv> {
  const api = new Hono<GreaderEnv>();
  api.onError(protocolErrorHandler(reader.log));
  // Here, once: under a per-prefix router, '/*' also matches '//…', and would run twice.
  // The limit only where a body can be (asking a GET for its body is not free in Node).
  api.on(
    ['POST', 'PUT', 'PATCH', 'DELETE'],
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ProtocolError(413, 'PayloadTooLarge', 'Request bodies are limited to 64 KiB.');
      },
    }),
  );
  api.use('*', readParams);
  // Clients append /reader/… to the URL the user typed: with a trailing slash there, the
  // path has a doubled one. Each route is registered under both prefixes.
  for (const base of ['/', '//']) api.route(base, protocolRoutes(reader, gatehouse));
  // Unknown paths answer in the protocol's style too, not with the web API's problem+json.
  api.all('*', () => {
    throw new ProtocolError(404, 'NotFound');
  });
  return api;
}

function protocolRoutes(reader: Reader, gatehouse: Gatehouse): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();
  routes.route('/', clientLoginRoutes(gatehouse));
  // Everything under /reader/ needs the token (and POSTs the edit token), even unknown paths.
  routes.use('/reader/*', requireAppUser(gatehouse, reader.log), requireEditToken(gatehouse, reader.log));
  for (const group of [
    accountRoutes(gatehouse),
    streamRoutes(reader),
    subscriptionRoutes(reader),
    tagRoutes(reader),
    unreadRoutes(reader),
  ]) {
    routes.route('/', group);
  }
  return routes;
}
