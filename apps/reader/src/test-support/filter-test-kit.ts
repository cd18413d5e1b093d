import { expect } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import type { FixtureFeedServer } from './fixture-feed-server.js';

/** One item of a test feed: its guid and date come from its place in the list. */
export interface TestEntry {
  title: string;
  author?: string;
  content?: string;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Serves an RSS feed at `path` (call again to change it: the next fetch sees the new list).
 * Entry n is published on day n of January 2024, so the list shows the last one first.
 */
export function serveEntries(fixtures: FixtureFeedServer, path: string, entries: readonly TestEntry[]): string {
  const items = entries.map((entry, index) => {
    const date = new Date(Date.UTC(2024, 0, 1 + index, 12)).toUTCString();
    const author = entry.author === undefined ? '' : `<dc:creator>${escapeXml(entry.author)}</dc:creator>`;
    return `<item><guid>${escapeXml(path)}#${String(index)}</guid><title>${escapeXml(entry.title)}</title>${author}
      <pubDate>${date}</pubDate><description>${escapeXml(entry.content ?? 'Nothing much.')}</description></item>`;
  });
  const body = `<?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${escapeXml(path)}</title>
    ${items.join('')}</channel></rss>`;
  fixtures.route(path, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  return path;
}

export interface ListedItem {
  id: string;
  title: string;
  read: boolean;
  starred: boolean;
  tags: string[];
}

/** A signed-up user and the calls the filter and tag tests make. */
export class ReaderUser {
  private constructor(
    readonly browser: TestBrowser,
    readonly userId: string,
    readonly email: string,
  ) {}

  static async signUp(origin: string): Promise<ReaderUser> {
    const browser = new TestBrowser(origin);
    const email = uniqueEmail('filters');
    const response = await browser.signup(email, GOOD_PASSWORD);
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: { id: string } };
    return new ReaderUser(browser, user.id, email);
  }

  /** Any call: its status and parsed body (null for none). */
  async call(method: string, path: string, json?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await this.browser.request(method, path, json === undefined ? {} : { json });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  /** A call that must answer `status`; its body. */
  async expect<T>(status: number, method: string, path: string, json?: unknown): Promise<T> {
    const { status: actual, body } = await this.call(method, path, json);
    expect(actual, `${method} ${path}: ${JSON.stringify(body)}`).toBe(status);
    return body as T;
  }

  async subscribe(url: string): Promise<string> {
    const body = await this.expect<{ subscription: { id: string } }>(201, 'POST', '/api/subscriptions', { url });
    return body.subscription.id;
  }

  /** Titles of the list `query` names (a query string without `?`), newest first. */
  async titles(query = ''): Promise<string[]> {
    return (await this.items(query)).map((item) => item.title);
  }

  async items(query = ''): Promise<ListedItem[]> {
    const body = await this.expect<{ items: ListedItem[] }>(200, 'GET', `/api/items?limit=100&${query}`);
    return body.items;
  }

  async itemByTitle(title: string): Promise<ListedItem> {
    const item = (await this.items()).find((candidate) => candidate.title === title);
    if (item === undefined) throw new Error(`no item titled ${title}`);
    return item;
  }

  /** Unread count per subscription id, as the sidebar gets it. */
  async unreadCounts(): Promise<Record<string, number>> {
    const body = await this.expect<{ subscriptions: { id: string; unreadCount: number }[] }>(
      200,
      'GET',
      '/api/subscriptions',
    );
    return Object.fromEntries(body.subscriptions.map((s) => [s.id, s.unreadCount]));
  }

  async createRule(rule: Record<string, unknown>): Promise<string> {
    return (await this.expect<{ rule: { id: string } }>(201, 'POST', '/api/filters', rule)).rule.id;
  }

  async rules(): Promise<unknown[]> {
    return (await this.expect<{ rules: unknown[] }>(200, 'GET', '/api/filters')).rules;
  }
}
