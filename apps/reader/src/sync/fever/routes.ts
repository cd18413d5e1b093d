import type { Gatehouse } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { basePath } from 'hono/route';
import type { Reader } from '../../reader.js';
import { answerFever, type FeverServices } from './fever-answer.js';
import { authenticateFever } from './fever-auth.js';
import { FeverInputError, parseFeverCommand } from './fever-command.js';
import { FeverQueries } from './fever-queries.js';
import { FeverBodyError, readFeverParams } from './fever-request.js';
import { feverError, unauthenticated } from './fever-response.js';
import { SyncNumbers } from './sync-numbers.js';

/** A Fever form is a key and a few ids; 64 KiB is far more than any honest call. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The Fever API (https://feedafever.com/api), to mount at /api/fever: one endpoint, `?api`,
 * GET or POST. Every answer is JSON with `api_version` and `auth`; a caller without a live
 * app password's key gets `auth: 0` and nothing else, with 200 as the protocol has it.
 * Mistakes in an authenticated call get 400 and `error`, and change nothing.
 */
export function feverRoutes(reader: Reader, gatehouse: Gatehouse): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  const numbers = new SyncNumbers(reader.db);
  const services: FeverServices = {
    queries: new FeverQueries(reader.db),
    numbers,
    marker: { db: reader.db, items: reader.items, numbers },
    imageUrl: reader.mediaUrls.forApps,
  };

  routes.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      // The body is left unread: closing tells a keep-alive client to use a new connection
      // for its next request (see problem.ts in @gatehouse/hono, issue 15 finding 6).
      onError: (c) => c.json(feverError(0, 'request body too large'), 413, { Connection: 'close' }),
    }),
  );

  const serve = async (c: Context<GatehouseEnv>) => {
    let params;
    try {
      params = await readFeverParams(c);
    } catch (error) {
      if (error instanceof FeverBodyError) return c.json(feverError(0, 'the form body could not be read'), 400);
      throw error;
    }
    const auth = await authenticateFever(gatehouse, c.get('authRequest'), params);
    if (auth.kind === 'rate_limited') {
      return c.json(unauthenticated(), 429, { 'Retry-After': String(auth.retryAfterSeconds) });
    }
    if (auth.kind === 'anonymous') return c.json(unauthenticated());

    let command;
    try {
      command = parseFeverCommand(params);
    } catch (error) {
      if (error instanceof FeverInputError) return c.json(feverError(1, error.message), 400);
      throw error;
    }
    // Reads may come by GET; a change only by POST, as every Fever client sends it: a link
    // or a prefetch that carries a key in its URL must not mark anything.
    if (command.mark !== undefined && c.req.method !== 'POST') {
      return c.json(feverError(1, 'mark: send it with POST'), 405, { Allow: 'POST' });
    }
    const answer = await answerFever(services, auth.user.userId, command, reader.clock());
    return answer.ok ? c.json(answer.body) : c.json(feverError(1, answer.error), 400);
  };

  // Clients append `?api` (or `/?api`) to whatever URL the user typed: the endpoint answers
  // with or without a trailing slash, and with a doubled one, but not at paths below it.
  routes.on(['GET', 'POST'], ['/', '/*'], async (c) => (isEndpoint(c) ? serve(c) : c.notFound()));
  // Other methods at the endpoint answer in Fever's JSON too, not the web API's problem+json.
  routes.all('/*', (c) =>
    isEndpoint(c) ? c.json(feverError(0, 'use GET or POST'), 405, { Allow: 'GET, POST' }) : c.notFound(),
  );
  return routes;
}

/** True for the mount path followed by nothing but slashes. */
function isEndpoint(c: Context): boolean {
  return /^\/*$/u.test(c.req.path.slice(basePath(c).length));
}
