import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import type { ReaderLog } from '../service/log.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { FetchError } from './fetch-error.js';
import { checkFetchUrl, HostAllowList } from './fetch-policy.js';

/**
 * Issue 19, item 8: someone running the quick start points the reader at a feed server on
 * their own machine and is refused. The operator's log says which setting allows it, spelled
 * for that host and port; the user is told only what any user may be told.
 */

function refusal(url: string): string {
  try {
    checkFetchUrl(url, new HostAllowList([]));
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'refused') return error.message;
    throw error;
  }
  throw new Error(`${url} was not refused`);
}

describe('the refusal of a non-public address, as the operator reads it', () => {
  it.each([
    ['http://localhost:8080/feed.xml', 'READER_FETCH_ALLOW_HOSTS=localhost:8080'],
    ['http://localhost/feed.xml', 'READER_FETCH_ALLOW_HOSTS=localhost:80'],
    ['https://127.0.0.1/feed.xml', 'READER_FETCH_ALLOW_HOSTS=127.0.0.1:443'],
    ['http://[::1]:4000/feed.xml', 'READER_FETCH_ALLOW_HOSTS=[::1]:4000'],
    ['http://192.168.1.20:8080/rss', 'READER_FETCH_ALLOW_HOSTS=192.168.1.20:8080'],
  ])('%s names the setting and the host:port to put in it', (url, hint) => {
    expect(refusal(url)).toContain(hint);
  });
});

describe('subscribing to a feed server on the reader’s own machine', () => {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const keep = (fields: object, message: string) => {
    lines.push({ fields: fields as Record<string, unknown>, message });
  };
  const log: ReaderLog = { info: keep, warn: keep, error: keep };
  let server: ReaderTestServer;

  beforeAll(async () => {
    server = await startReaderTestServer({ log });
  });

  afterAll(async () => {
    await server.close();
  });

  it('is refused with the generic sentence, and the log tells the operator the setting that allows it', async () => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail('loopback'), GOOD_PASSWORD)).status).toBe(201);
    const url = 'http://localhost:8080/feed.xml';
    const response = await browser.request('POST', '/api/subscriptions', { json: { url } });
    expect(response.status).toBe(400);
    const body = await response.text();
    // The user learns nothing of the server's configuration.
    expect(body).not.toContain('READER_FETCH_ALLOW_HOSTS');
    expect(body).toContain('Could not fetch a feed from that address.');
    expect(lines.at(-1)?.fields.reason).toContain('READER_FETCH_ALLOW_HOSTS=localhost:8080');
    const subscriptions = await browser.request('GET', '/api/subscriptions');
    expect(await subscriptions.json()).toEqual({ subscriptions: [] });
  });
});
