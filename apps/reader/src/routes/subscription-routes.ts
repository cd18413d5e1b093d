import { GatehouseError } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { MIN_REFRESH_GAP_MS } from '../feeds/backoff.js';
import { FetchError, userFacingMessage } from '../feeds/fetch-error.js';
import type { Reader } from '../reader.js';
import { jsonBody, notFound, userIdOf } from './input.js';
import { reasonExtensions } from './message-codes.js';
import { toApiSubscription } from './serializers.js';

const title = z
  .string({ message: 'must be text' })
  .trim()
  .max(200, 'must be at most 200 characters')
  // An empty title means "use the feed's own".
  .transform((value) => (value === '' ? null : value));

const folderId = z.string({ message: 'must be a folder id or null' }).max(100).nullable();

const SubscribeInput = z.object({
  url: z.string({ message: 'is required' }).trim().min(1, 'is required').max(2048, 'is too long'),
  folderId: folderId.optional(),
  title: title.nullable().optional(),
});

const UpdateInput = z.object({
  title: title.nullable().optional(),
  folderId: folderId.optional(),
  fullText: z.boolean({ message: 'must be true or false' }).optional(),
});

export function subscriptionRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  /** A folder id from a request body must be one of the user's own folders. */
  const checkFolder = async (userId: string, id: string | null | undefined) => {
    if (id !== null && id !== undefined && (await reader.folders.find(userId, id)) === undefined) {
      throw notFound('folder');
    }
  };

  const load = async (userId: string, id: string) => {
    const subscription = await reader.subscriptions.find(userId, id);
    if (subscription === undefined) throw notFound('subscription');
    return subscription;
  };

  routes.get('/', async (c) => {
    const subscriptions = await reader.subscriptions.list(userIdOf(c));
    return c.json({ subscriptions: subscriptions.map(toApiSubscription) });
  });

  routes.post('/', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, SubscribeInput);
    await checkFolder(userId, input.folderId);
    let result;
    try {
      result = await reader.subscriber.subscribe(userId, {
        url: input.url,
        folderId: input.folderId ?? null,
        title: input.title ?? null,
      });
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      // One sentence for every failure at a non-public destination, so the answer is no port
      // or path scan of the server's network (SSRF oracle; decision 0013 §2); the operator
      // reads the precise reason in the log. Public destinations keep theirs.
      const message = userFacingMessage(error);
      if (message !== error.message) {
        reader.log.warn(
          { userId, kind: error.kind, reason: error.message },
          'subscribe failed at a non-public destination',
        );
      }
      throw new GatehouseError('validation_failed', `Could not subscribe to ${input.url}: ${message}`, {
        fields: { url: message },
        cause: error,
        // The reason as a code, for a client in another language (message-codes.ts).
        extensions: reasonExtensions(message),
      });
    }
    const subscription = await load(userId, result.subscriptionId);
    return c.json({ subscription: toApiSubscription(subscription) }, result.created ? 201 : 200);
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, UpdateInput);
    const id = c.req.param('id');
    const before = await load(userId, id);
    await checkFolder(userId, input.folderId);
    await reader.subscriptions.update(userId, id, input);
    // Switched on: the newest items get their article too, not only those still to come.
    if (input.fullText === true && !before.fullText) reader.fullText.afterSwitchedOn(before.feedId);
    return c.json({ subscription: toApiSubscription(await load(userId, id)) });
  });

  routes.delete('/:id', async (c) => {
    if (!(await reader.subscriptions.delete(userIdOf(c), c.req.param('id')))) throw notFound('subscription');
    return c.body(null, 204);
  });

  routes.post('/:id/refresh', async (c) => {
    const userId = userIdOf(c);
    const id = c.req.param('id');
    const subscription = await load(userId, id);
    const feed = await reader.feeds.findById(subscription.feedId);
    if (feed === undefined) throw notFound('subscription');
    // Now, but never sooner than a server's Retry-After or a minute after the last fetch:
    // "refresh now" must not become a way to hammer a site through us.
    const now = reader.clock();
    const earliest = Math.max(now, feed.notBefore ?? 0, (feed.lastFetchedAt ?? 0) + MIN_REFRESH_GAP_MS);
    if (earliest < feed.nextFetchAt) await reader.feeds.setNextFetch(feed.id, earliest);
    reader.scheduler.wake();
    return c.json({ subscription: toApiSubscription(await load(userId, id)) }, 202);
  });

  return routes;
}
