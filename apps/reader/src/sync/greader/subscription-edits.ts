import { isUniqueViolation } from '../../db/folder-store.js';
import { FetchError, userFacingMessage } from '../../feeds/fetch-error.js';
import type { Reader } from '../../reader.js';
import { badRequest, unknownStream } from './protocol-errors.js';
import { findSubscribedFeed } from './stream-scope.js';

/** As the web reader's subscription routes: a title of up to 200 characters, a URL of 2048. */
const MAX_TITLE = 200;
const MAX_URL = 2048;

export interface SubscriptionChange {
  /** A new title, or undefined to keep it. */
  title?: string | undefined;
  /** A folder to move into (created if missing). */
  addFolder?: string | undefined;
  /** A folder to leave: the feed goes to no folder if it is in this one. */
  removeFolder?: string | undefined;
}

export function subscriptionTitle(value: string | undefined): string | undefined {
  const title = value?.trim();
  if (title === undefined || title === '') return undefined;
  if (title.length > MAX_TITLE)
    throw badRequest('InvalidParameter', `t: titles are at most ${String(MAX_TITLE)} characters.`);
  return title;
}

/**
 * Subscription changes in the protocol's terms, on the reader's stores. Subscribing goes
 * through reader.subscriber: the same SSRF guard, size and time caps as the web reader, and
 * a URL that is not a feed leaves nothing behind.
 */
export class SubscriptionEditor {
  constructor(private readonly reader: Reader) {}

  /** Subscribes to a URL; the folder is created only once the feed is known to work. */
  async subscribe(userId: string, url: string, change: SubscriptionChange) {
    const address = url.trim();
    if (address === '' || address.length > MAX_URL)
      throw badRequest('InvalidParameter', 'The feed URL is missing or too long.');
    // Subscribing again (by our feed id or the URL) is not an error: the change still applies.
    const known = await findSubscribedFeed(this.reader.db, userId, address);
    if (known !== undefined) {
      await this.applyChange(userId, known.subscriptionId, known.folderId, change);
      return this.load(userId, known.subscriptionId);
    }
    const existingFolder =
      change.addFolder === undefined ? undefined : await this.reader.folders.findByName(userId, change.addFolder);
    let result;
    try {
      result = await this.reader.subscriber.subscribe(userId, {
        url: address,
        folderId: existingFolder?.id ?? null,
        title: change.title ?? null,
      });
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      // One sentence for every failure at a non-public address (the SSRF oracle; decision
      // 0013 §2), the precise reason in the log, as POST /api/subscriptions does.
      const message = userFacingMessage(error);
      if (message !== error.message) {
        this.reader.log.warn({ userId, kind: error.kind, reason: error.message }, 'greader subscribe failed');
      }
      throw badRequest('SubscribeFailed', message);
    }
    // Already subscribed: the request's title and folder still apply.
    if (!result.created || (change.addFolder !== undefined && existingFolder === undefined)) {
      await this.applyChange(userId, result.subscriptionId, null, change);
    }
    return this.load(userId, result.subscriptionId);
  }

  /** Resolves every feed first: an unknown one among several removes none of them. */
  async unsubscribe(userId: string, feeds: readonly string[]): Promise<void> {
    const found = await Promise.all(feeds.map(async (feed) => this.find(userId, feed)));
    for (const subscription of found) await this.reader.subscriptions.delete(userId, subscription.subscriptionId);
  }

  /** Resolves every feed first: an unknown one among several changes none of them. */
  async edit(userId: string, changes: readonly { feed: string; change: SubscriptionChange }[]): Promise<void> {
    const found = await Promise.all(changes.map(async ({ feed }) => this.find(userId, feed)));
    for (const [index, subscription] of found.entries()) {
      const change = changes[index]?.change ?? {};
      await this.applyChange(userId, subscription.subscriptionId, subscription.folderId, change);
    }
  }

  private async load(userId: string, subscriptionId: string) {
    const subscription = await this.reader.subscriptions.find(userId, subscriptionId);
    if (subscription === undefined) throw new Error('greader: subscription vanished after subscribe');
    return subscription;
  }

  private async find(userId: string, feed: string) {
    const subscription = await findSubscribedFeed(this.reader.db, userId, feed);
    if (subscription === undefined) throw unknownStream(`feed/${feed}`);
    return subscription;
  }

  private async applyChange(
    userId: string,
    subscriptionId: string,
    currentFolderId: string | null,
    change: SubscriptionChange,
  ): Promise<void> {
    let folderId: string | null | undefined;
    if (change.addFolder !== undefined) {
      folderId = (await this.ensureFolder(userId, change.addFolder)).id;
    } else if (change.removeFolder !== undefined) {
      const leaving = await this.reader.folders.findByName(userId, change.removeFolder);
      const current = currentFolderId ?? (await this.reader.subscriptions.find(userId, subscriptionId))?.folderId;
      if (leaving !== undefined && leaving.id === current) folderId = null;
    }
    await this.reader.subscriptions.update(userId, subscriptionId, { title: change.title, folderId });
  }

  /** The user's folder of that name, created if missing (a concurrent create wins the race). */
  async ensureFolder(userId: string, name: string) {
    const existing = await this.reader.folders.findByName(userId, name);
    if (existing !== undefined) return existing;
    try {
      return await this.reader.folders.create(userId, name, this.reader.clock());
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.reader.folders.findByName(userId, name);
      if (raced === undefined) throw error;
      return raced;
    }
  }
}
