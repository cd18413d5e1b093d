import type { Generated } from 'kysely';

/**
 * The reader's own tables, in the same database as Gatehouse but under their own
 * migrations. Times are epoch milliseconds. `user_id` is Gatehouse's user id; there is no
 * foreign key to its `users` table because the reader only knows Gatehouse's public API.
 */
export interface ReaderDatabase {
  feeds: FeedsTable;
  folders: FoldersTable;
  subscriptions: SubscriptionsTable;
  items: ItemsTable;
  item_states: ItemStatesTable;
  sync_numbers: SyncNumbersTable;
}

/** One row per feed URL, fetched once for all its subscribers. */
export interface FeedsTable {
  id: string;
  url: string;
  title: string | null;
  site_url: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: number | null;
  last_error: string | null;
  /** Consecutive failures: drives the exponential backoff. */
  error_count: number;
  next_fetch_at: number;
  /** A server's Retry-After: no fetch before this, not even "refresh now". */
  not_before: number | null;
  created_at: number;
}

export interface FoldersTable {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
}

export interface SubscriptionsTable {
  id: string;
  user_id: string;
  feed_id: string;
  folder_id: string | null;
  /** The user's own name for the feed; null shows the feed's title. */
  title: string | null;
  created_at: number;
}

export interface ItemsTable {
  /** An integer so the SQLite full-text index can use it as its rowid. */
  id: Generated<number>;
  feed_id: string;
  /** guid, else link, else a content hash: what makes an item the same item next fetch. */
  dedup_key: string;
  url: string | null;
  title: string;
  author: string | null;
  /** Already sanitized at ingest (and again on the way out). */
  content_html: string;
  snippet: string;
  content_hash: string;
  published_at: number;
  fetched_at: number;
}

export interface ItemStatesTable {
  user_id: string;
  item_id: number;
  read: number;
  starred: number;
  updated_at: number;
}

/**
 * Stable positive integers for feed and folder ids, for sync protocols that need them
 * (Fever). `ref` is a feeds.id or folders.id; no foreign key, so a number outlives its row
 * and is never given to another.
 */
export interface SyncNumbersTable {
  id: Generated<number>;
  kind: 'feed' | 'folder';
  ref: string;
}
