import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Reader } from '../../reader.js';
import { atomStream } from './atom-stream.js';
import { encodeContinuation, type StreamOrder } from './continuation.js';
import type { GreaderEnv } from './env.js';
import { parseItemId } from './item-ids.js';
import { toItemJson, toItemRef } from './item-json.js';
import { loadItemRows, type ItemRow } from './item-rows.js';
import { badRequest } from './protocol-errors.js';
import { MAX_IDS_PER_PAGE, MAX_ITEMS_PER_PAGE, parseListing, requestedStream } from './stream-params.js';
import { listItemKeys, type ItemKeyPage } from './stream-query.js';
import { resolveStreamText, type StreamScope } from './stream-scope.js';
import { READING_LIST } from './stream-ids.js';

const CONTENTS = '/reader/api/0/stream/contents';
const ATOM = '/reader/atom';

/** Reading streams: as JSON items, as item ids, as an Atom feed, and items by id. */
export function streamRoutes(reader: Reader): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();

  /** One page of a stream, its content loaded, in the page's order. */
  const loadPage = async (c: Context<GreaderEnv>, marker: string) => {
    const listed = await listStream(reader, c, streamInPath(c.req.url, marker), MAX_ITEMS_PER_PAGE);
    const rows = await loadItemRows(
      reader.db,
      c.get('appUser').userId,
      listed.page.keys.map((key) => key.id),
    );
    // An item deleted between the two queries is left out rather than sent half-empty.
    const items = listed.page.keys.map((key) => rows.get(key.id)).filter((row): row is ItemRow => row !== undefined);
    return { ...listed, items };
  };

  for (const path of [CONTENTS, `${CONTENTS}/*`]) {
    routes.get(path, async (c) => {
      const listed = await loadPage(c, `${CONTENTS}/`);
      return c.json({
        id: listed.streamId,
        title: listed.scope.title,
        direction: 'ltr',
        updated: Math.floor(reader.clock() / 1000),
        items: listed.items.map((item) => toItemJson(item, reader.mediaUrls.forApps)),
        ...continuationOf(listed),
      });
    });
  }

  for (const path of [ATOM, `${ATOM}/*`]) {
    routes.get(path, async (c) => {
      const listed = await loadPage(c, `${ATOM}/`);
      const xml = atomStream({
        streamId: listed.streamId,
        title: listed.scope.title,
        userId: c.get('appUser').userId,
        items: listed.items,
        continuation: continuationOf(listed).continuation,
        now: reader.clock(),
        imageUrl: reader.mediaUrls.forApps,
      });
      return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
    });
  }

  routes.get('/reader/api/0/stream/items/ids', async (c) => {
    const listed = await listStream(reader, c, undefined, MAX_IDS_PER_PAGE);
    return c.json({ itemRefs: listed.page.keys.map(toItemRef), ...continuationOf(listed) });
  });

  routes.on(['GET', 'POST'], '/reader/api/0/stream/items/contents', async (c) => {
    const params = c.get('params');
    const values = params.all('i');
    if (values.length === 0) throw badRequest('MissingParameter', 'Name items with i=…');
    if (values.length > MAX_ITEMS_PER_PAGE) {
      throw badRequest('TooManyItems', `At most ${String(MAX_ITEMS_PER_PAGE)} items per request.`);
    }
    const ids = values.map((value) => {
      const id = parseItemId(value);
      if (id === undefined) throw badRequest('InvalidItemId', `Not an item id: ${value.slice(0, 100)}`);
      return id;
    });
    const rows = await loadItemRows(reader.db, c.get('appUser').userId, ids);
    // All or nothing, as edit-tag: an id of someone else's item is refused, not skipped.
    if (ids.some((id) => !rows.has(id))) throw badRequest('UnknownItem', 'Some of these items are not yours to read.');
    const oldestFirst = params.get('r') === 'o';
    const items = [...rows.values()].sort((a, b) => {
      const newestFirst = b.publishedAt - a.publishedAt || b.id - a.id;
      return oldestFirst ? -newestFirst : newestFirst;
    });
    return c.json({
      id: READING_LIST,
      updated: Math.floor(reader.clock() / 1000),
      items: items.map((item) => toItemJson(item, reader.mediaUrls.forApps)),
    });
  });

  return routes;
}

async function listStream(
  reader: Reader,
  c: Context<GreaderEnv>,
  pathStream: string | undefined,
  maxPageSize: number,
): Promise<ListedStream> {
  const { userId } = c.get('appUser');
  const params = c.get('params');
  const listing = parseListing(params, maxPageSize);
  const streamId = requestedStream(pathStream, params);
  const scope = await resolveStreamText(reader.db, userId, streamId);
  const resolve = (text: string) => resolveStreamText(reader.db, userId, text);
  const resolved = {
    ...listing,
    include: await Promise.all(listing.include.map(resolve)),
    exclude: await Promise.all(listing.exclude.map(resolve)),
  };
  return { streamId, scope, order: listing.order, page: await listItemKeys(reader.db, userId, scope, resolved) };
}

interface ListedStream {
  /** As the client named it, echoed back in the answer. */
  streamId: string;
  scope: StreamScope;
  order: StreamOrder;
  page: ItemKeyPage;
}

/** The `continuation` member, present only when there may be more. */
function continuationOf({ order, page }: ListedStream): { continuation?: string } {
  return page.next === undefined ? {} : { continuation: encodeContinuation(order, page.next) };
}

/**
 * The stream id after `marker` in the raw request path, percent-decoded once. Read from the
 * raw URL, not the router's decoded path: an encoded slash (feed%2F…, as newsboat sends)
 * and a feed URL's own %2F and ? must survive as the client meant them.
 */
export function streamInPath(url: string, marker: string): string | undefined {
  const pathStart = url.indexOf('/', url.indexOf('://') + 3);
  const queryStart = url.indexOf('?', pathStart);
  const path = url.slice(pathStart, queryStart === -1 ? undefined : queryStart);
  const at = path.indexOf(marker);
  if (at === -1) return undefined;
  const raw = path.slice(at + marker.length);
  if (raw === '') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest('InvalidStreamId', 'The stream id is not valid percent-encoding.');
  }
}
