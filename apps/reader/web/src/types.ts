/** The reader API's shapes, as docs/reader-api (the server's contract) defines them. */

export interface Folder {
  id: string;
  name: string;
  unreadCount: number;
}

export interface FeedStatus {
  lastFetchedAt: string | null;
  lastError: string | null;
  nextFetchAt: string | null;
}

export interface Subscription {
  id: string;
  title: string;
  feedUrl: string;
  siteUrl: string | null;
  folderId: string | null;
  unreadCount: number;
  status: FeedStatus;
}

export interface ItemSummary {
  id: string;
  subscriptionId: string;
  feedTitle: string;
  title: string;
  author: string | null;
  url: string | null;
  publishedAt: string;
  /** Plain text, at most 200 characters. */
  snippet: string;
  read: boolean;
  starred: boolean;
}

export interface Item extends ItemSummary {
  /** Sanitized on the server; the CSP is the second net. */
  contentHtml: string;
}

export type ListView = 'all' | 'unread' | 'starred';

/** One list of items: the same fields select the list and "mark all as read" for it. */
export interface ItemQuery {
  view: ListView;
  subscriptionId?: string | undefined;
  folderId?: string | undefined;
  q?: string | undefined;
}

export interface ItemPage {
  items: ItemSummary[];
  nextCursor: string | null;
}

export interface CatalogueFeed {
  id: string;
  title: string;
  siteUrl: string;
  feedUrl: string;
  description: string;
  language: string;
}

export interface CatalogueTopic {
  id: string;
  name: string;
  feeds: CatalogueFeed[];
}

export interface OpmlImportResult {
  imported: number;
  skipped: { url: string; reason: string }[];
  /** Folders created for the file's outline groups. */
  folders: number;
}
