/** The reader API's shapes, as docs/reader-api (the server's contract) defines them. */

export interface Folder {
  id: string;
  name: string;
  unreadCount: number;
}

export interface FeedStatus {
  lastFetchedAt: string | null;
  lastError: string | null;
  /** lastError as a code and its parameters, to say it in the page's language (serverMessage). */
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string>;
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
  /** New items get their page's article (the server fetches and extracts it). */
  fullText: boolean;
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
  /** The list's thumbnail (a proxied path or an https URL); null: none. */
  imageUrl: string | null;
  /** The user's own tags on the item, sorted. */
  tags: string[];
}

export interface Item extends ItemSummary {
  /** Sanitized on the server; the CSP is the second net. */
  contentHtml: string;
  /** The article extracted from the item's page, sanitized like contentHtml; null: none to show. */
  fullTextHtml: string | null;
}

export type ListView = 'all' | 'unread' | 'starred';

/** One list of items: the same fields select the list and "mark all as read" for it. */
export interface ItemQuery {
  view: ListView;
  subscriptionId?: string | undefined;
  folderId?: string | undefined;
  q?: string | undefined;
  /** The tag view: items the user tagged with this name. */
  tag?: string | undefined;
}

export interface ItemPage {
  items: ItemSummary[];
  nextCursor: string | null;
}

export interface CatalogueFeed {
  id: string;
  title: string;
  siteUrl: string;
  /** null: the site's page names its feed, and subscribing starts from siteUrl. */
  feedUrl: string | null;
  description: string;
  language: string;
}

export interface CatalogueTopic {
  id: string;
  /** In each language the app speaks: the page shows the one it speaks now. */
  name: { en: string; 'zh-CN': string };
  feeds: CatalogueFeed[];
}

export interface OpmlImportResult {
  imported: number;
  skipped: { url: string; reason: string; reasonCode: string | null; reasonParams: Record<string, string> }[];
  /** Folders created for the file's outline groups. */
  folders: number;
}

/** A tag and how many items the user sees under it. */
export interface Tag {
  id: string;
  name: string;
  count: number;
}

export type FilterAction = 'hide' | 'keepOnly' | 'star' | 'markRead';
export type FilterField = 'title' | 'author' | 'content';

/** A filter rule: when one of its keywords is in one of its fields, the action applies. */
export interface FilterRule {
  id: string;
  action: FilterAction;
  /** null: every subscription. */
  subscriptionId: string | null;
  fields: FilterField[];
  keywords: string[];
  createdAt: string;
  updatedAt: string;
}

export type FilterRuleInput = Pick<FilterRule, 'action' | 'subscriptionId' | 'fields' | 'keywords'>;
