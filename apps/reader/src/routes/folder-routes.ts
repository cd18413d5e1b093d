import { GatehouseError } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { isUniqueViolation } from '../db/folder-store.js';
import type { Reader } from '../reader.js';
import { jsonBody, notFound, userIdOf } from './input.js';
import { toApiFolder } from './serializers.js';

const FolderInput = z.object({
  name: z
    .string({ message: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
});

export function folderRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  routes.get('/', async (c) => {
    const userId = userIdOf(c);
    const [folders, subscriptions] = await Promise.all([
      reader.folders.list(userId),
      reader.subscriptions.list(userId),
    ]);
    const unread = new Map<string, number>();
    for (const { folderId, unreadCount } of subscriptions) {
      if (folderId !== null) unread.set(folderId, (unread.get(folderId) ?? 0) + unreadCount);
    }
    return c.json({ folders: folders.map((folder) => toApiFolder(folder, unread.get(folder.id) ?? 0)) });
  });

  routes.post('/', async (c) => {
    const userId = userIdOf(c);
    const { name } = await jsonBody(c, FolderInput);
    const folder = await withUniqueName(() => reader.folders.create(userId, name, reader.clock()));
    return c.json({ folder: toApiFolder(folder, 0) }, 201);
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const { name } = await jsonBody(c, FolderInput);
    const id = c.req.param('id');
    const renamed = await withUniqueName(() => reader.folders.rename(userId, id, name));
    if (!renamed) throw notFound('folder');
    const unreadCount = (await reader.subscriptions.list(userId))
      .filter((subscription) => subscription.folderId === id)
      .reduce((sum, subscription) => sum + subscription.unreadCount, 0);
    return c.json({ folder: toApiFolder({ id, name }, unreadCount) });
  });

  routes.delete('/:id', async (c) => {
    const userId = userIdOf(c);
    if (!(await reader.folders.delete(userId, c.req.param('id')))) throw notFound('folder');
    return c.body(null, 204);
  });

  return routes;
}

async function withUniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new GatehouseError('validation_failed', 'You already have a folder with that name.', {
      fields: { name: 'is already taken by another folder' },
    });
  }
}
