import { Hono } from 'hono';
import type { Reader } from '../../reader.js';
import type { GreaderEnv } from './env.js';
import { microseconds } from './item-json.js';
import { markStreamRead } from './item-states.js';
import { badRequest } from './protocol-errors.js';
import { feedStreamId, labelStreamId, READING_LIST } from './stream-ids.js';
import { resolveStreamText } from './stream-scope.js';
import { unreadPerFeed } from './unread-counts.js';

/** `ts` in microseconds, as timestampUsec writes it; 17 digits reach past the year 5000. */
const MICROSECONDS = /^\d{1,17}$/u;

/** Unread counts, and "mark all as read". */
export function unreadRoutes(reader: Reader): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();

  routes.get('/reader/api/0/unread-count', async (c) => {
    const feeds = await unreadPerFeed(reader.db, c.get('appUser').userId);
    const labels = new Map<string, { count: number; newest: number }>();
    let total = 0;
    let newest = 0;
    for (const feed of feeds) {
      total += feed.unread;
      newest = Math.max(newest, feed.newest);
      if (feed.folderName === null) continue;
      const label = labels.get(feed.folderName) ?? { count: 0, newest: 0 };
      labels.set(feed.folderName, { count: label.count + feed.unread, newest: Math.max(label.newest, feed.newest) });
    }
    const count = (id: string, unread: number, newestMs: number) => ({
      id,
      count: unread,
      newestItemTimestampUsec: microseconds(newestMs),
    });
    return c.json({
      max: total,
      unreadcounts: [
        ...feeds.map((feed) => count(feedStreamId(feed.feedId), feed.unread, feed.newest)),
        ...[...labels].map(([name, label]) => count(labelStreamId(name), label.count, label.newest)),
        count(READING_LIST, total, newest),
      ],
    });
  });

  routes.post('/reader/api/0/mark-all-as-read', async (c) => {
    const { userId } = c.get('appUser');
    const params = c.get('params');
    const stream = params.get('s');
    if (stream === undefined) throw badRequest('MissingParameter', 's must name a stream.');
    const ts = params.get('ts');
    if (ts !== undefined && !MICROSECONDS.test(ts)) {
      throw badRequest('InvalidParameter', 'ts must be a time in microseconds since 1970.');
    }
    const scope = await resolveStreamText(reader.db, userId, stream);
    const now = reader.clock();
    // Without ts, "everything up to now"; with it, only what the client had seen.
    const upTo = ts === undefined ? now : Number(BigInt(ts) / 1000n);
    await markStreamRead(reader.db, userId, scope, upTo, now);
    return c.text('OK');
  });

  return routes;
}
