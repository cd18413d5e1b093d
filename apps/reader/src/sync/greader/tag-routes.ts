import { Hono } from 'hono';
import { isUniqueViolation } from '../../db/folder-store.js';
import type { Reader } from '../../reader.js';
import type { GreaderEnv } from './env.js';
import { parseItemId } from './item-ids.js';
import { setMarks } from './item-states.js';
import { badRequest, unknownStream } from './protocol-errors.js';
import type { RequestParams } from './request-params.js';
import { labelStreamId, STARRED } from './stream-ids.js';
import { folderName, labelName, marksFromTags } from './tag-edits.js';

/** Tags: the folder list, folder rename and delete, and item states (edit-tag). */
export function tagRoutes(reader: Reader): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();

  routes.get('/reader/api/0/tag/list', async (c) => {
    const folders = await reader.folders.list(c.get('appUser').userId);
    return c.json({
      tags: [{ id: STARRED }, ...folders.map((folder) => ({ id: labelStreamId(folder.name), type: 'folder' }))],
    });
  });

  routes.post('/reader/api/0/rename-tag', async (c) => {
    const { userId } = c.get('appUser');
    const params = c.get('params');
    const from = folderNamed(params);
    const destination = params.get('dest');
    if (destination === undefined) throw badRequest('MissingParameter', 'dest must be user/-/label/<new name>.');
    const to = labelName(destination, 'dest');
    const folder = await reader.folders.findByName(userId, from);
    if (folder === undefined) throw unknownStream(labelStreamId(from));
    try {
      await reader.folders.rename(userId, folder.id, to);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw badRequest('TagExists', 'Another folder already has that name.');
    }
    return c.text('OK');
  });

  // Deletes the folder; its feeds stay, in no folder (the foreign key sets folder_id null).
  routes.post('/reader/api/0/disable-tag', async (c) => {
    const { userId } = c.get('appUser');
    const name = folderNamed(c.get('params'));
    const folder = await reader.folders.findByName(userId, name);
    if (folder === undefined) throw unknownStream(labelStreamId(name));
    await reader.folders.delete(userId, folder.id);
    return c.text('OK');
  });

  routes.post('/reader/api/0/edit-tag', async (c) => {
    const { userId } = c.get('appUser');
    const params = c.get('params');
    const values = params.all('i');
    if (values.length === 0) throw badRequest('MissingParameter', 'Name items with i=…');
    const ids = values.map((value) => {
      const id = parseItemId(value);
      if (id === undefined) throw badRequest('InvalidItemId', `Not an item id: ${value.slice(0, 100)}`);
      return id;
    });
    const marks = marksFromTags(params.all('a'), params.all('r'));
    if (!(await setMarks(reader.db, userId, ids, marks, reader.clock()))) {
      throw badRequest('UnknownItem', 'Some of these items are not yours: nothing was changed.');
    }
    return c.text('OK');
  });

  return routes;
}

/** The folder a tag request names: `s=user/-/label/<name>`, or `t=<name>` (The Old Reader's). */
function folderNamed(params: RequestParams): string {
  const stream = params.get('s');
  if (stream !== undefined) return labelName(stream, 's');
  const name = params.get('t');
  if (name === undefined) throw badRequest('MissingParameter', 's must be user/-/label/<folder>.');
  return folderName(name, 't');
}
