import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Reader } from '../reader.js';
import { jsonBody, notFound, userIdOf } from '../routes/input.js';
import { itemId } from '../routes/item-routes.js';
import { toApiTag } from '../routes/serializers.js';
import { TAG_LIMITS, TagName } from './tag-name.js';

const RenameInput = z.strictObject({ name: TagName });

const ItemTagsInput = z.strictObject({
  tags: z
    .array(TagName, { message: 'must be a list of tag names' })
    .max(TAG_LIMITS.tagsPerItem, `must have at most ${String(TAG_LIMITS.tagsPerItem)} tags`),
});

/** /api/tags: the user's tags with how many items they see under each; rename, delete. */
export function tagRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  routes.get('/', async (c) => {
    const tags = await reader.tags.list(userIdOf(c));
    return c.json({ tags: tags.map(toApiTag) });
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const { name } = await jsonBody(c, RenameInput);
    const id = c.req.param('id');
    if (!(await reader.tags.rename(userId, id, name))) throw notFound('tag');
    const tag = (await reader.tags.list(userId)).find((known) => known.id === id);
    if (tag === undefined) throw notFound('tag');
    return c.json({ tag: toApiTag(tag) });
  });

  routes.delete('/:id', async (c) => {
    if (!(await reader.tags.delete(userIdOf(c), c.req.param('id')))) throw notFound('tag');
    return c.body(null, 204);
  });

  return routes;
}

/** PUT /api/items/:id/tags (mounted beside itemRoutes under /items): the item's tags, replaced. */
export function itemTagRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  routes.put('/:id/tags', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, ItemTagsInput);
    // Only an item of a feed the user reads; anyone else's is the same 404 as none.
    const item = await reader.items.find(userId, itemId(c.req.param('id')));
    if (item === undefined) throw notFound('item');
    const tags = await reader.tags.setItemTags(userId, item.id, input.tags, reader.clock());
    return c.json({ tags });
  });

  return routes;
}
