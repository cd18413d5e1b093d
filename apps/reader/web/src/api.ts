import { errorFromResponse } from '@gatehouse/client';
import { auth } from './auth';
import { rememberFieldCodes } from './fieldCodes';
import { rememberProblemReason } from './problemReason';
import type { Preferences } from './preferences';
import type {
  CatalogueTopic,
  FilterRule,
  FilterRuleInput,
  Folder,
  Item,
  ItemPage,
  ItemQuery,
  ItemSummary,
  OpmlImportResult,
  Subscription,
  Tag,
} from './types';

/*
 * The reader's HTTP API. Every call goes through the auth client's fetch, which sends the
 * credential (the HttpOnly cookie, or in memory-token mode the token it keeps in memory)
 * and, on unsafe methods, the CSRF header: this module never touches a credential.
 */

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await auth.fetch(path, init);
  if (!response.ok) {
    // Read twice: the auth client's error, and what it does not keep (problemReason.ts, fieldCodes.ts).
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const error = await errorFromResponse(response);
    rememberProblemReason(error, body);
    rememberFieldCodes(error, body);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function send(method: 'POST' | 'PATCH' | 'PUT', body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

const DELETE: RequestInit = { method: 'DELETE' };
const PAGE_SIZE = 50;

function id(value: string): string {
  return encodeURIComponent(value);
}

function itemSearch(query: ItemQuery, cursor: string | undefined): string {
  const params = new URLSearchParams({ view: query.view, limit: String(PAGE_SIZE) });
  const optional = {
    subscriptionId: query.subscriptionId,
    folderId: query.folderId,
    q: query.q,
    tag: query.tag,
    cursor,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  return params.toString();
}

export const api = {
  folders: () => call<{ folders: Folder[] }>('/api/folders').then((body) => body.folders),
  createFolder: (name: string) =>
    call<{ folder: Folder }>('/api/folders', send('POST', { name })).then((b) => b.folder),
  renameFolder: (folderId: string, name: string) =>
    call<{ folder: Folder }>(`/api/folders/${id(folderId)}`, send('PATCH', { name })).then((b) => b.folder),
  deleteFolder: (folderId: string) => call<undefined>(`/api/folders/${id(folderId)}`, DELETE),

  subscriptions: () => call<{ subscriptions: Subscription[] }>('/api/subscriptions').then((body) => body.subscriptions),
  subscribe: (input: { url: string; folderId?: string | undefined; title?: string | undefined }) =>
    call<{ subscription: Subscription }>('/api/subscriptions', send('POST', input)).then((b) => b.subscription),
  updateSubscription: (
    subscriptionId: string,
    changes: { title?: string; folderId?: string | null; fullText?: boolean },
  ) =>
    call<{ subscription: Subscription }>(`/api/subscriptions/${id(subscriptionId)}`, send('PATCH', changes)).then(
      (b) => b.subscription,
    ),
  unsubscribe: (subscriptionId: string) => call<undefined>(`/api/subscriptions/${id(subscriptionId)}`, DELETE),
  refreshSubscription: (subscriptionId: string) =>
    call<{ subscription: Subscription }>(`/api/subscriptions/${id(subscriptionId)}/refresh`, { method: 'POST' }).then(
      (b) => b.subscription,
    ),

  items: (query: ItemQuery, cursor?: string) => call<ItemPage>(`/api/items?${itemSearch(query, cursor)}`),
  item: (itemId: string) => call<{ item: Item }>(`/api/items/${id(itemId)}`).then((body) => body.item),
  /** The item with its page's article (fetched now, or kept from before). */
  fullText: (itemId: string) =>
    call<{ item: Item }>(`/api/items/${id(itemId)}/full-text`, { method: 'POST' }).then((body) => body.item),
  updateItem: (itemId: string, changes: { read?: boolean; starred?: boolean }) =>
    call<{ item: ItemSummary }>(`/api/items/${id(itemId)}`, send('PATCH', changes)).then((body) => body.item),
  /** Mark-as-read on scroll: at most 100 ids a call; all or none. */
  markItemsRead: (ids: string[]) => call<undefined>('/api/items/read', send('POST', { ids })),
  markAllRead: (query: ItemQuery, upTo: string) =>
    call<{ marked: number }>(
      '/api/items/mark-read',
      send('POST', { ...query, q: query.q === '' ? undefined : query.q, upTo }),
    ).then((body) => body.marked),

  preferences: () => call<{ preferences: Preferences }>('/api/preferences').then((body) => body.preferences),
  updatePreferences: (patch: Partial<Preferences>) =>
    call<{ preferences: Preferences }>('/api/preferences', send('PATCH', patch)).then((body) => body.preferences),

  filterRules: () => call<{ rules: FilterRule[] }>('/api/filters').then((body) => body.rules),
  createFilterRule: (rule: FilterRuleInput) =>
    call<{ rule: FilterRule }>('/api/filters', send('POST', rule)).then((body) => body.rule),
  updateFilterRule: (ruleId: string, rule: FilterRuleInput) =>
    call<{ rule: FilterRule }>(`/api/filters/${id(ruleId)}`, send('PATCH', rule)).then((body) => body.rule),
  deleteFilterRule: (ruleId: string) => call<undefined>(`/api/filters/${id(ruleId)}`, DELETE),

  tags: () => call<{ tags: Tag[] }>('/api/tags').then((body) => body.tags),
  renameTag: (tagId: string, name: string) =>
    call<{ tag: Tag }>(`/api/tags/${id(tagId)}`, send('PATCH', { name })).then((body) => body.tag),
  deleteTag: (tagId: string) => call<undefined>(`/api/tags/${id(tagId)}`, DELETE),
  /** Replaces the item's tags; answers with them as stored. */
  setItemTags: (itemId: string, tags: string[]) =>
    call<{ tags: string[] }>(`/api/items/${id(itemId)}/tags`, send('PUT', { tags })).then((body) => body.tags),

  catalogue: () => call<{ topics: CatalogueTopic[] }>('/api/catalogue').then((body) => body.topics),

  importOpml: (text: string) =>
    call<OpmlImportResult>('/api/opml', { method: 'POST', headers: { 'Content-Type': 'text/x-opml' }, body: text }),
};

/** A plain link, not a fetch: the browser downloads the attachment with the session cookie. */
export const OPML_EXPORT_URL = '/api/opml';
