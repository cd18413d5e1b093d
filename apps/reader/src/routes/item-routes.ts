import { parseInput } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ItemFilter } from '../db/item-store.js';
import type { Reader } from '../reader.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { jsonBody, notFound, userIdOf } from './input.js';
import { toApiItem, toApiItemWithContent } from './serializers.js';

const view = z.enum(['all', 'unread', 'starred'], { message: 'must be all, unread or starred' });
const optionalId = z.string().min(1).max(100).optional();
const query = z.string().trim().max(200, 'must be at most 200 characters').optional();

const ListQuery = z.object({
  view: view.default('all'),
  subscriptionId: optionalId,
  folderId: optionalId,
  q: query,
  cursor: z.string().max(100).optional(),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(50),
});

const MarkReadInput = z.object({
  view,
  subscriptionId: optionalId,
  folderId: optionalId,
  q: query,
  upTo: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time' }).optional(),
});

const UpdateInput = z.object({
  read: z.boolean({ message: 'must be true or false' }).optional(),
  starred: z.boolean({ message: 'must be true or false' }).optional(),
});

/** Item ids are integers; anything else names no item. */
function itemId(value: string): number {
  if (!/^\d{1,15}$/u.test(value)) throw notFound('item');
  return Number(value);
}

export function itemRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  /** The filter, with the subscription or folder it names checked to be the user's. */
  const filterFor = async (userId: string, input: ItemFilter): Promise<ItemFilter> => {
    if (input.subscriptionId !== undefined && !(await reader.subscriptions.find(userId, input.subscriptionId))) {
      throw notFound('subscription');
    }
    if (input.folderId !== undefined && !(await reader.folders.find(userId, input.folderId))) {
      throw notFound('folder');
    }
    const q = input.q === '' ? undefined : input.q;
    return { view: input.view, subscriptionId: input.subscriptionId, folderId: input.folderId, q };
  };

  routes.get('/', async (c) => {
    const userId = userIdOf(c);
    // `?folderId=&q=` means "no folder, no search": empty parameters are absent ones.
    const params = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
    const input = parseInput(ListQuery, params);
    const filter = await filterFor(userId, input);
    const after = input.cursor === undefined || input.cursor === '' ? undefined : decodeCursor(input.cursor);
    // One more than asked tells whether there is a next page without a second query.
    const rows = await reader.items.list(userId, filter, input.limit + 1, after);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last !== undefined
        ? encodeCursor({ publishedAt: last.publishedAt, id: last.id })
        : null;
    return c.json({ items: page.map(toApiItem), nextCursor });
  });

  routes.post('/mark-read', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, MarkReadInput);
    const filter = await filterFor(userId, input);
    const now = reader.clock();
    const upTo = input.upTo === undefined ? now : Date.parse(input.upTo);
    const marked = await reader.items.markRead(userId, filter, upTo, now);
    return c.json({ marked });
  });

  routes.get('/:id', async (c) => {
    const item = await reader.items.find(userIdOf(c), itemId(c.req.param('id')));
    if (item === undefined) throw notFound('item');
    return c.json({ item: toApiItemWithContent(item) });
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, UpdateInput);
    const id = itemId(c.req.param('id'));
    if (!(await reader.items.setState(userId, id, input, reader.clock()))) throw notFound('item');
    const item = await reader.items.find(userId, id);
    if (item === undefined) throw notFound('item');
    return c.json({ item: toApiItem(item) });
  });

  return routes;
}
