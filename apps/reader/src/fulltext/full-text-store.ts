import type { Kysely } from 'kysely';
import type { ReaderDatabase } from '../db/schema.js';
import type { FullTextFailureReason } from './fetch-article.js';

/** What is known of an item's page: its article, or why there is none. */
export type FullTextOutcome =
  { status: 'ok'; contentHtml: string } | { status: 'failed'; reason: FullTextFailureReason; message: string };

export interface StoredFullText {
  outcome: FullTextOutcome;
  fetchedAt: number;
}

/** An item whose page can be fetched. */
export interface LinkedItem {
  id: number;
  url: string;
}

const REASONS: readonly FullTextFailureReason[] = ['unreachable', 'not_html', 'no_article'];

/**
 * Extracted articles, one per item for all the feed's subscribers. Nothing here is a user's
 * own except the `full_text` switch, which is read through the user's subscription.
 */
export class FullTextStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  /** The stored outcome for the item as linked now; undefined if never fetched from there. */
  async find(item: LinkedItem): Promise<StoredFullText | undefined> {
    const row = await this.db
      .selectFrom('item_full_texts')
      .select(['content_html', 'failure_reason', 'failure_message', 'fetched_at'])
      .where('item_id', '=', item.id)
      .where('url', '=', item.url)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return { outcome: toOutcome(row), fetchedAt: row.fetched_at };
  }

  /**
   * The article to show a user in place of the feed's text: only when their subscription to
   * the item's feed has full text on, and the article was extracted from the current link.
   */
  async shownTo(userId: string, subscriptionId: string, item: LinkedItem): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('item_full_texts as ft')
      .innerJoin('subscriptions as s', (join) =>
        join.on('s.id', '=', subscriptionId).on('s.user_id', '=', userId).on('s.full_text', '=', 1),
      )
      .select('ft.content_html')
      .where('ft.item_id', '=', item.id)
      .where('ft.url', '=', item.url)
      .executeTakeFirst();
    return row?.content_html ?? undefined;
  }

  async save(item: LinkedItem, outcome: FullTextOutcome, fetchedAt: number): Promise<void> {
    const values =
      outcome.status === 'ok'
        ? { content_html: outcome.contentHtml, failure_reason: null, failure_message: null }
        : { content_html: null, failure_reason: outcome.reason, failure_message: outcome.message };
    await this.db
      .insertInto('item_full_texts')
      .values({ item_id: item.id, url: item.url, fetched_at: fetchedAt, ...values })
      .onConflict((oc) => oc.column('item_id').doUpdateSet({ url: item.url, fetched_at: fetchedAt, ...values }))
      .execute();
  }

  /** Whether any subscriber of the feed has full text on. */
  async wanted(feedId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('subscriptions')
      .select('id')
      .where('feed_id', '=', feedId)
      .where('full_text', '=', 1)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The feed's newest linked items never fetched, newest first. `storedAt` narrows them to
   * the items one fetch of the feed stored (ingestItems gives them its time).
   */
  async notFetched(feedId: string, limit: number, storedAt?: number): Promise<LinkedItem[]> {
    let query = this.db
      .selectFrom('items')
      .leftJoin('item_full_texts as ft', 'ft.item_id', 'items.id')
      .select(['items.id', 'items.url'])
      .where('items.feed_id', '=', feedId)
      .where('items.url', 'is not', null)
      .where('ft.item_id', 'is', null);
    if (storedAt !== undefined) query = query.where('items.fetched_at', '=', storedAt);
    const rows = await query.orderBy('items.published_at', 'desc').orderBy('items.id', 'desc').limit(limit).execute();
    return rows.flatMap((row) => (row.url === null ? [] : [{ id: row.id, url: row.url }]));
  }
}

function toOutcome(row: {
  content_html: string | null;
  failure_reason: string | null;
  failure_message: string | null;
}): FullTextOutcome {
  if (row.content_html !== null) return { status: 'ok', contentHtml: row.content_html };
  const reason = REASONS.find((known) => known === row.failure_reason) ?? 'unreachable';
  return { status: 'failed', reason, message: row.failure_message ?? 'The page could not be fetched.' };
}
