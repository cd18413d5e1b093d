import { GatehouseError } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { decodeDocument } from '../feeds/charset.js';
import { buildOpml } from '../opml/opml-export.js';
import { OpmlError, parseOpmlEntries } from '../opml/opml-parse.js';
import type { Reader } from '../reader.js';
import { importOpmlEntries } from '../service/opml-importer.js';
import { userIdOf } from './input.js';
import { reasonExtensions } from './message-codes.js';
import { toApiOpmlImport } from './serializers.js';

const OPML_MEDIA_TYPES = new Set(['application/xml', 'text/xml', 'text/x-opml', 'application/x-opml']);
export const MAX_OPML_BYTES = 1024 * 1024;

export function opmlRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  routes.get('/', async (c) => {
    const userId = userIdOf(c);
    const [subscriptions, folders] = await Promise.all([
      reader.subscriptions.list(userId),
      reader.folders.list(userId),
    ]);
    const folderNames = new Map(folders.map((folder) => [folder.id, folder.name]));
    const opml = buildOpml(
      subscriptions.map((subscription) => ({
        title: subscription.title,
        feedUrl: subscription.feedUrl,
        siteUrl: subscription.siteUrl,
        folderName: subscription.folderId === null ? null : (folderNames.get(subscription.folderId) ?? null),
      })),
      new Date(reader.clock()),
    );
    return c.body(opml, 200, {
      'Content-Type': 'text/x-opml; charset=utf-8',
      'Content-Disposition': 'attachment; filename="gatehouse-reader.opml"',
    });
  });

  routes.post(
    '/',
    bodyLimit({
      maxSize: MAX_OPML_BYTES,
      onError: () => {
        throw new GatehouseError('payload_too_large', 'OPML files up to 1 MiB can be imported.');
      },
    }),
    async (c) => {
      const userId = userIdOf(c);
      const contentType = c.req.header('content-type') ?? null;
      const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!OPML_MEDIA_TYPES.has(mediaType)) {
        throw new GatehouseError(
          'unsupported_media_type',
          'Send the OPML file with Content-Type application/xml, text/xml or text/x-opml.',
        );
      }
      const text = decodeDocument(new Uint8Array(await c.req.arrayBuffer()), contentType);
      let entries;
      try {
        entries = parseOpmlEntries(text);
      } catch (error) {
        if (!(error instanceof OpmlError)) throw error;
        throw new GatehouseError('validation_failed', `Nothing was imported: ${error.message}`, {
          cause: error,
          // The reason as a code, for a client in another language (message-codes.ts).
          extensions: reasonExtensions(error.message),
        });
      }
      const result = await importOpmlEntries(reader.db, userId, entries, reader.allowList, reader.clock());
      if (result.imported > 0) reader.scheduler.wake();
      return c.json(toApiOpmlImport(result));
    },
  );

  return routes;
}
