import type { ColumnType, Generated } from 'kysely';

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
  preferences: PreferencesTable;
  item_full_texts: ItemFullTextsTable;
  filter_rules: FilterRulesTable;
  filter_hits: FilterHitsTable;
  filter_coverage: FilterCoverageTable;
  tags: TagsTable;
  item_tags: ItemTagsTable;
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
  /** 1: new items get their linked page's article extracted (fulltext/). */
  full_text: Generated<number>;
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
  /**
   * The list's thumbnail: an http(s) URL as the feed gave it (feeds/item-image.ts), or null.
   * Optional on insert: rows written by tests and tools need not name it.
   */
  image_url: ColumnType<string | null, string | null | undefined>;
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

/** A user's reading preferences; a null column means "the default" (see preferences/). */
export interface PreferencesTable {
  user_id: string;
  language: string | null;
  theme: string | null;
  font_size: string | null;
  line_width: string | null;
  mark_read_on_scroll: number | null;
  updated_at: number;
}

/** The article extracted from an item's page, or why it could not be (fulltext/). */
export interface ItemFullTextsTable {
  item_id: number;
  /** The item's link it was fetched from: a changed link is fetched afresh. */
  url: string;
  /** Sanitized article HTML; null when extraction failed. */
  content_html: string | null;
  /** 'unreachable' | 'not_html' | 'no_article' when it failed. */
  failure_reason: string | null;
  /** What the user is told (never a non-public destination's details). */
  failure_message: string | null;
  fetched_at: number;
}

/** A user's filter rule (filters/); `fields` and `keywords` are JSON arrays of text. */
export interface FilterRulesTable {
  id: string;
  user_id: string;
  /** null: every subscription of the user. */
  subscription_id: string | null;
  action: string;
  fields: string;
  keywords: string;
  created_at: number;
  updated_at: number;
}

/** An item a hide or keep-only rule matches. */
export interface FilterHitsTable {
  rule_id: string;
  item_id: number;
}

/** A rule's hits are computed for this subscription's feed (complete = 1) or being computed (0). */
export interface FilterCoverageTable {
  rule_id: string;
  subscription_id: string;
  complete: number;
}

/** A user's tag (tags/); `name_key` is the name folded for comparison. */
export interface TagsTable {
  id: string;
  user_id: string;
  name: string;
  name_key: string;
  created_at: number;
}

export interface ItemTagsTable {
  tag_id: string;
  item_id: number;
  user_id: string;
  created_at: number;
}
