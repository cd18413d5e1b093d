import { GatehouseError } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { UserRateLimit, type UserRateRule } from '../fulltext/user-rate-limit.js';
import type { Reader } from '../reader.js';
import { notFound, userIdOf } from './input.js';
import { itemId } from './item-routes.js';
import { toApiItemWithFullText } from './serializers.js';

/**
 * Page fetches one user may cause: a reader clicking through a truncated feed needs a few a
 * minute; more is someone using the server to load (or hammer) other sites. Answers already
 * kept (an article, or a recent failure) cost nothing and are not counted.
 */
export const FULL_TEXT_FETCHES_PER_USER: UserRateRule = { limit: 30, windowMs: 10 * 60_000 };

/** POST /api/items/:id/full-text (mounted beside itemRoutes under /items). */
export function fullTextRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  const fetchesPerUser = new UserRateLimit(FULL_TEXT_FETCHES_PER_USER, reader.clock);

  routes.post('/:id/full-text', async (c) => {
    const userId = userIdOf(c);
    // Only an item of a feed the user reads: anyone else's, or none, is the same 404, so this
    // is no way to make the server fetch a link the user cannot see.
    const item = await reader.items.find(userId, itemId(c.req.param('id')));
    if (item === undefined) throw notFound('item');
    if (item.url === null) throw new GatehouseError('conflict', 'This item links to no page to fetch.');
    const linked = { id: item.id, url: item.url };

    let outcome = await reader.fullText.cached(linked);
    if (outcome === undefined) {
      const waitSeconds = fetchesPerUser.take(userId);
      if (waitSeconds > 0) {
        throw new GatehouseError('rate_limited', 'Too many full-text fetches: try again later.', {
          retryAfterSeconds: waitSeconds,
        });
      }
      outcome = await reader.fullText.fetch(linked);
    }
    if (outcome.status === 'failed') {
      // The site failed, not the request; still a 4xx (422: understood, but no article came of
      // it), so every 5xx stays a sign of our own fault. A stable reason a client can translate.
      throw new GatehouseError('full_text_unavailable', outcome.message, { extensions: { reason: outcome.reason } });
    }
    return c.json({ item: toApiItemWithFullText(item, outcome.contentHtml, reader.mediaUrls.forBrowser) });
  });

  return routes;
}
