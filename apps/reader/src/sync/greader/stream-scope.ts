import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { badRequest, unknownStream } from './protocol-errors.js';
import { parseStreamId, type StreamId } from './stream-ids.js';

/**
 * A stream id resolved against one user's data: which of their items it holds. `none` is a
 * stream Google Reader had and we do not keep (shared, liked): it exists, and is empty, so
 * clients that list it (newsboat's "special feeds") get an empty list, not an error.
 */
export type StreamScope =
  | { kind: 'all'; title: string }
  | { kind: 'starred'; title: string }
  | { kind: 'read'; title: string }
  | { kind: 'none'; title: string }
  | { kind: 'feed'; feedId: string; title: string; siteUrl: string | null }
  | { kind: 'folder'; folderId: string; title: string };

const STATE_SCOPES: Record<string, StreamScope> = {
  'reading-list': { kind: 'all', title: 'Reading list' },
  starred: { kind: 'starred', title: 'Starred items' },
  read: { kind: 'read', title: 'Read items' },
  'kept-unread': { kind: 'none', title: 'Kept unread' },
  broadcast: { kind: 'none', title: 'Shared items' },
  'broadcast-friends': { kind: 'none', title: 'Shared by friends' },
  like: { kind: 'none', title: 'Liked items' },
};

/** Resolves a stream id text: 400 if it is not one, 404 if it names nothing of the user's. */
export async function resolveStreamText(
  db: Kysely<ReaderDatabase>,
  userId: string,
  text: string,
): Promise<StreamScope> {
  const stream = parseStreamId(text);
  if (stream === undefined) throw badRequest('InvalidStreamId', `Not a stream id: ${text.slice(0, 200)}`);
  return resolveStream(db, userId, stream, text);
}

export async function resolveStream(
  db: Kysely<ReaderDatabase>,
  userId: string,
  stream: StreamId,
  text: string,
): Promise<StreamScope> {
  switch (stream.kind) {
    case 'state': {
      const scope = Object.hasOwn(STATE_SCOPES, stream.state) ? STATE_SCOPES[stream.state] : undefined;
      if (scope === undefined) throw badRequest('UnsupportedStream', `No stream ${stream.state} here.`);
      return scope;
    }
    case 'feed': {
      const feed = await findSubscribedFeed(db, userId, stream.feed);
      if (feed === undefined) throw unknownStream(text);
      return { kind: 'feed', feedId: feed.feedId, title: feed.title, siteUrl: feed.siteUrl };
    }
    case 'label': {
      const folder = await db
        .selectFrom('folders')
        .select(['id', 'name'])
        .where('user_id', '=', userId)
        .where('name', '=', stream.name)
        .executeTakeFirst();
      if (folder === undefined) throw unknownStream(text);
      return { kind: 'folder', folderId: folder.id, title: folder.name };
    }
  }
}

/** The user's subscription to a feed named by our id or by its URL (`feed/<url>`). */
export async function findSubscribedFeed(db: Kysely<ReaderDatabase>, userId: string, idOrUrl: string) {
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('feeds as f', 'f.id', 's.feed_id')
    .select([
      's.id as subscriptionId',
      's.feed_id as feedId',
      's.folder_id as folderId',
      'f.site_url as siteUrl',
      sql<string>`COALESCE(s.title, f.title, f.url)`.as('title'),
    ])
    .where('s.user_id', '=', userId)
    .where((eb) => eb.or([eb('f.id', '=', idOrUrl), eb('f.url', '=', idOrUrl)]))
    .executeTakeFirst();
}

/**
 * The SQL condition "this item is in the stream", over the aliases every listing query uses:
 * `items`, `s` (the user's subscription to the item's feed), `st` (the user's marks).
 */
export function inScope(scope: StreamScope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'starred':
      return sql<SqlBool>`COALESCE(st.starred, 0) = 1`;
    case 'read':
      return sql<SqlBool>`COALESCE(st.read, 0) = 1`;
    // items.feed_id rather than s.feed_id: the planner then walks the (feed_id, published_at,
    // id) index in order and stops after one page.
    case 'feed':
      return sql<SqlBool>`items.feed_id = ${scope.feedId}`;
    case 'folder':
      return sql<SqlBool>`s.folder_id = ${scope.folderId}`;
  }
}

/** "Not in the stream". IS NOT TRUE, not NOT: a feed in no folder has a NULL folder_id. */
export function notInScope(scope: StreamScope): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${inScope(scope)}) IS NOT TRUE`;
}
