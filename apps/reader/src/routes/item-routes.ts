import { parseInput } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ItemFilter } from '../db/item-store.js';
import type { Reader } from '../reader.js';
import { splitTagTerms } from '../tags/tag-conditions.js';
import { TagName } from '../tags/tag-name.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { setMarks } from '../sync/greader/item-states.js';
import { jsonBody, notFound, userIdOf } from './input.js';
import { toApiItem, toApiItemWithFullText } from './serializers.js';

const view = z.enum(['all', 'unread', 'starred'], { message: 'must be all, unread or starred' });
const optionalId = z.string().min(1).max(100).optional();
const query = z.string().trim().max(200, 'must be at most 200 characters').optional();
/** The tag view: items the user tagged with this name (tags/). */
const tag = TagName.optional();

const ListQuery = z.object({
  view: view.default('all'),
  subscriptionId: optionalId,
  folderId: optionalId,
  q: query,
  tag,
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
  tag,
  upTo: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time' }).optional(),
});

/** Items the web app saw scroll past (mark-as-read on scroll), sent in batches. */
const ReadBatchInput = z.object({
  ids: z
    .array(z.string().regex(/^\d{1,15}$/u, 'must be item ids'), { message: 'must be a list of item ids' })
    .min(1, 'must name at least one item')
    .max(100, 'must name at most 100 items'),
});

const UpdateInput = z.object({
  read: z.boolean({ message: 'must be true or false' }).optional(),
  starred: z.boolean({ message: 'must be true or false' }).optional(),
});

/** Item ids are integers; anything else names no item. */
export function itemId(value: string): number {
  if (!/^\d{1,15}$/u.test(value)) throw notFound('item');
  return Number(value);
}

export function itemRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  /** The filter, with the subscription, folder or tag it names checked to be the user's. */
  const filterFor = async (userId: string, input: ItemFilter & { tag?: string | undefined }): Promise<ItemFilter> => {
    if (input.subscriptionId !== undefined && !(await reader.subscriptions.find(userId, input.subscriptionId))) {
      throw notFound('subscription');
    }
    if (input.folderId !== undefined && !(await reader.folders.find(userId, input.folderId))) {
      throw notFound('folder');
    }
    if (input.tag !== undefined && !(await reader.tags.findByName(userId, input.tag))) throw notFound('tag');
    // `tag:name` terms of a search pick items by tag; the other words go to full-text search.
    const search = splitTagTerms(input.q ?? '');
    const q = search.text === '' ? undefined : search.text;
    const tags = input.tag === undefined ? search.tags : [input.tag, ...search.tags];
    return { view: input.view, subscriptionId: input.subscriptionId, folderId: input.folderId, q, tags };
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
    const ids = page.map((item) => item.id);
    const tags = await reader.tags.ofItems(userId, ids);
    const items = page.map((item) => ({
      ...toApiItem(item, reader.mediaUrls.forBrowser),
      tags: tags.get(item.id) ?? [],
    }));
    return c.json({ items, nextCursor });
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

  // All or nothing: an id the user can't see (another user's item) is a 404, and nothing is marked.
  routes.post('/read', async (c) => {
    const userId = userIdOf(c);
    const { ids } = await jsonBody(c, ReadBatchInput);
    if (!(await setMarks(reader.db, userId, ids.map(Number), { read: true }, reader.clock()))) throw notFound('item');
    return c.body(null, 204);
  });

  routes.get('/:id', async (c) => {
    const userId = userIdOf(c);
    const item = await reader.items.find(userId, itemId(c.req.param('id')));
    if (item === undefined) throw notFound('item');
    const fullTextHtml = await reader.fullText.shownTo(userId, item);
    const tags = (await reader.tags.ofItems(userId, [item.id])).get(item.id) ?? [];
    return c.json({ item: { ...toApiItemWithFullText(item, fullTextHtml, reader.mediaUrls.forBrowser), tags } });
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, UpdateInput);
    const id = itemId(c.req.param('id'));
    if (!(await reader.items.setState(userId, id, input, reader.clock()))) throw notFound('item');
    const item = await reader.items.find(userId, id);
    if (item === undefined) throw notFound('item');
    const tags = (await reader.tags.ofItems(userId, [id])).get(id) ?? [];
    return c.json({ item: { ...toApiItem(item, reader.mediaUrls.forBrowser), tags } });
  });

  return routes;
}
