import SQLite from 'better-sqlite3';

/** A row of newsboat's `rss_feed`: `rssurl` is the address newsboat fetched the feed from. */
export interface CachedFeed {
  rssurl: string;
  title: string;
}

/** A row of newsboat's `rss_item`, as newsboat 2.x lays it out. */
export interface CachedItem {
  /** For the feedhq backend: the Atom `<id>`, the long Google Reader item id. */
  guid: string;
  title: string;
  /** The `rssurl` of the feed the item came from. */
  feedurl: string;
  unread: boolean;
}

export interface NewsboatCache {
  feeds: CachedFeed[];
  items: CachedItem[];
}

/**
 * What newsboat stored, read back from its SQLite cache (read-only: newsboat must not be
 * running on it). This is what the user would see in newsboat: no TUI scraping needed.
 */
export function readNewsboatCache(file: string): NewsboatCache {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const feeds = db.prepare('SELECT rssurl, title FROM rss_feed ORDER BY rssurl').all() as CachedFeed[];
    const items = db
      .prepare('SELECT guid, title, feedurl, unread FROM rss_item WHERE deleted = 0 ORDER BY guid')
      .all() as (Omit<CachedItem, 'unread'> & { unread: number })[];
    return { feeds, items: items.map((item) => ({ ...item, unread: item.unread !== 0 })) };
  } finally {
    db.close();
  }
}
