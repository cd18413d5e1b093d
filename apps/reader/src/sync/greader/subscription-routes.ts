import { Hono } from 'hono';
import type { Reader } from '../../reader.js';
import type { GreaderEnv } from './env.js';
import { badRequest } from './protocol-errors.js';
import { parseStreamId, feedStreamId, labelStreamId } from './stream-ids.js';
import { SubscriptionEditor, subscriptionTitle, type SubscriptionChange } from './subscription-edits.js';
import { labelName } from './tag-edits.js';

/** subscription/list, subscription/edit and subscription/quickadd. */
export function subscriptionRoutes(reader: Reader): Hono<GreaderEnv> {
  const routes = new Hono<GreaderEnv>();
  const editor = new SubscriptionEditor(reader);

  routes.get('/reader/api/0/subscription/list', async (c) => {
    const { userId } = c.get('appUser');
    const [subscriptions, folders] = await Promise.all([
      reader.subscriptions.list(userId),
      reader.folders.list(userId),
    ]);
    const folderNames = new Map(folders.map((folder) => [folder.id, folder.name]));
    return c.json({
      subscriptions: subscriptions.map((subscription) => {
        const folder = subscription.folderId === null ? undefined : folderNames.get(subscription.folderId);
        return {
          id: feedStreamId(subscription.feedId),
          title: subscription.title,
          categories: folder === undefined ? [] : [{ id: labelStreamId(folder), label: folder }],
          url: subscription.feedUrl,
          htmlUrl: subscription.siteUrl ?? '',
          iconUrl: '',
        };
      }),
    });
  });

  routes.post('/reader/api/0/subscription/edit', async (c) => {
    const { userId } = c.get('appUser');
    const params = c.get('params');
    const action = params.get('ac');
    const feeds = params.all('s').map(feedOf);
    if (feeds.length === 0) throw badRequest('MissingParameter', 's must name a feed: feed/<id> or feed/<url>.');
    const titles = params.all('t');
    const add = params.get('a');
    const remove = params.get('r');
    // Everything is checked before anything is written.
    const changeFor = (index: number): SubscriptionChange => ({
      title: subscriptionTitle(feeds.length === 1 ? titles[0] : titles[index]),
      addFolder: add === undefined ? undefined : labelName(add, 'a'),
      removeFolder: remove === undefined ? undefined : labelName(remove, 'r'),
    });
    const changes = feeds.map((feed, index) => ({ feed, change: changeFor(index) }));
    if (action === 'subscribe') {
      const [only] = changes;
      if (only === undefined || changes.length > 1)
        throw badRequest('InvalidParameter', 'Subscribe to one feed at a time.');
      await editor.subscribe(userId, only.feed, only.change);
    } else if (action === 'unsubscribe') {
      await editor.unsubscribe(userId, feeds);
    } else if (action === 'edit') {
      await editor.edit(userId, changes);
    } else {
      throw badRequest('InvalidParameter', 'ac must be subscribe, unsubscribe or edit.');
    }
    return c.text('OK');
  });

  routes.post('/reader/api/0/subscription/quickadd', async (c) => {
    const { userId } = c.get('appUser');
    const query = c.get('params').get('quickadd');
    if (query === undefined) throw badRequest('MissingParameter', 'quickadd must be a feed or site URL.');
    // Some clients send the URL as a stream id (feed/<url>).
    const url = query.startsWith('feed/') ? query.slice('feed/'.length) : query;
    const subscription = await editor.subscribe(userId, url, {});
    return c.json({
      numResults: 1,
      query: subscription.feedUrl,
      streamId: feedStreamId(subscription.feedId),
      streamName: subscription.title,
    });
  });

  return routes;
}

/** `feed/<id or url>` → the part after `feed/`. */
function feedOf(value: string): string {
  const stream = parseStreamId(value);
  if (stream?.kind !== 'feed') throw badRequest('InvalidParameter', 's must be feed/<id> or feed/<url>.');
  return stream.feed;
}
