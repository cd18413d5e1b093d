import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';

// A client's mistakes: 400 (or 413) in the protocol's JSON, nothing changed, never a 500.

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
let key: string;
let itemId: number;

interface FeverBody {
  api_version: number;
  auth: number;
  error?: string;
  unread_item_ids?: string;
  saved_item_ids?: string;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(uniqueEmail('fever-bad'), GOOD_PASSWORD)).status).toBe(201);
  const appPassword = await createAppPassword(browser);
  key = feverKey(appPassword.feverLogin, appPassword.password);
  await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/rss2.xml') } });
  itemId = Number((await state()).unread_item_ids?.split(',')[0]);
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

async function post(query: string, body: string, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${server.origin}/api/fever/?api&${query}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  });
  const text = await response.text();
  expect(response.headers.get('content-type'), text).toMatch(/^application\/json/u);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as FeverBody };
}

/** What could change: both id lists. */
async function state(): Promise<FeverBody> {
  const { body } = await post('unread_item_ids&saved_item_ids', `api_key=${key}`);
  return { ...body, api_version: 3 };
}

const fiftyOne = Array.from({ length: 51 }, (_, n) => String(n + 1)).join(',');

describe('bad parameters in an authenticated call', () => {
  it.each([
    ['items&with_ids=' + fiftyOne, 'with_ids: at most 50 ids'],
    ['items&with_ids=1,abc', 'with_ids: must be a non-negative whole number'],
    ['items&with_ids=1;2', 'with_ids: must be a non-negative whole number'],
    ['items&since_id=-1', 'since_id: must be a non-negative whole number'],
    ['items&since_id=ten', 'since_id: must be a non-negative whole number'],
    ['items&since_id=99999999999999999999', 'since_id: must be a non-negative whole number'],
    ['items&max_id=9007199254740993', 'max_id: too large'],
    ['items&max_id=1e3', 'max_id: must be a non-negative whole number'],
    ['items&since_id=1&max_id=2', 'items: use one of since_id, max_id and with_ids, not since_id and max_id'],
  ])('answers ?%s with 400 and the reason', async (query, error) => {
    const { status, body } = await post(query, `api_key=${key}`);
    expect(status).toBe(400);
    expect(body).toEqual({ api_version: 3, auth: 1, error });
  });

  it.each([
    [{ as: 'read', id: '-5' }, 'id: must be a non-negative whole number'],
    [{ as: 'read', id: '__proto__' }, 'id: must be a non-negative whole number'],
    [{ as: 'read', id: '12345678901234567890' }, 'id: must be a non-negative whole number'],
    [{ as: 'read', id: '0x1' }, 'id: must be a non-negative whole number'],
    [{ as: 'starred', id: 'ITEM' }, 'as: an item is marked read, unread, saved or unsaved'],
    [{ as: '', id: 'ITEM' }, 'as: an item is marked read, unread, saved or unsaved'],
    [{ as: 'read', id: '999999999' }, 'no such item'],
    [{ as: 'read', id: '0' }, 'no such item'],
  ])('refuses the item mark %j with 400, changing nothing', async (form, error) => {
    const before = await state();
    const fields = { api_key: key, mark: 'item', ...form, id: form.id.replace('ITEM', String(itemId)) };
    const { status, body } = await post('', new URLSearchParams(fields).toString());
    expect(status).toBe(400);
    expect(body).toEqual({ api_version: 3, auth: 1, error });
    expect(await state()).toEqual(before);
  });

  it.each([
    ['feed', { as: 'read', id: '1', before: 'yesterday' }, 'before: must be a non-negative whole number'],
    ['feed', { as: 'read', id: '1', before: '-1' }, 'before: must be a non-negative whole number'],
    ['feed', { as: 'read', id: '1', before: '9007199254741' }, 'before: too large'],
    ['feed', { as: 'unread', id: '1' }, 'as: a feed can only be marked read'],
    ['group', { as: 'read', id: '-1' }, 'id: must be a non-negative whole number'],
    ['group', { as: 'saved', id: '0' }, 'as: a group can only be marked read'],
    ['everything', { as: 'read', id: '0' }, 'mark: must be item, feed or group'],
  ])('refuses mark=%s %j with 400, changing nothing', async (mark, form, error) => {
    const before = await state();
    const { status, body } = await post('', new URLSearchParams({ api_key: key, mark, ...form }).toString());
    expect(status).toBe(400);
    expect(body).toEqual({ api_version: 3, auth: 1, error });
    expect(await state()).toEqual(before);
  });

  it('checks the whole call before changing anything: a good mark beside a bad page size does not happen', async () => {
    const before = await state();
    const body = new URLSearchParams({ api_key: key, mark: 'group', as: 'read', id: '0' }).toString();
    const refused = await post(`items&with_ids=${fiftyOne}`, body);
    expect(refused.status).toBe(400);
    expect(await state()).toEqual(before);
    expect(before.unread_item_ids).not.toBe('');
  });

  it('takes 50 with_ids of 16 digits each, and odd parameter names, without complaint', async () => {
    const ids = Array.from({ length: 50 }, (_, n) => String(1_000_000_000_000_000 + n)).join(',');
    const { status } = await post(`items&with_ids=${ids}&__proto__=1&constructor=x&api=xml`, `api_key=${key}`);
    expect(status).toBe(200);
  });
});

describe('bad bodies and paths', () => {
  it('answers a body over 64 KiB with 413 and closes the connection; the next call works', async () => {
    const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    try {
      const big = await fetch(`${server.origin}/api/fever/?api`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `api_key=${key}&pad=${'x'.repeat(70 * 1024)}`,
        dispatcher: agent,
      });
      expect(big.status).toBe(413);
      expect(big.headers.get('connection')).toBe('close');
      expect(await big.json()).toEqual({ api_version: 3, auth: 0, error: 'request body too large' });
      const next = await fetch(`${server.origin}/api/fever/?api`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `api_key=${key}`,
        dispatcher: agent,
      });
      expect(((await next.json()) as FeverBody).auth).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('answers a malformed multipart body with 400, not 500', async () => {
    const { status, body } = await post('', '--nope\r\nbroken', 'multipart/form-data; boundary=elsewhere');
    expect(status).toBe(400);
    expect(body).toEqual({ api_version: 3, auth: 0, error: 'the form body could not be read' });
  });

  it('reads no key from a body of another type', async () => {
    const { status, body } = await post('', JSON.stringify({ api_key: key }), 'application/json');
    expect(status).toBe(200);
    expect(body).toEqual({ api_version: 3, auth: 0 });
  });

  it('answers at a doubled slash, but not at paths below the endpoint; other methods in its own JSON', async () => {
    const doubled = await fetch(`${server.origin}/api/fever//?api&api_key=${key}`);
    expect(((await doubled.json()) as FeverBody).auth).toBe(1);
    expect((await fetch(`${server.origin}/api/fever/other?api&api_key=${key}`)).status).toBe(404);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${server.origin}/api/fever/?api&api_key=${key}`, { method });
      expect(response.status).toBe(405);
      expect(await response.json()).toEqual({ api_version: 3, auth: 0, error: 'use GET or POST' });
    }
  });

  it('marks only on POST: a link or a prefetch carrying the key in its URL changes nothing', async () => {
    const before = await state();
    // Whichever mark would change something now.
    const as = before.saved_item_ids?.split(',').includes(String(itemId)) === true ? 'unsaved' : 'saved';
    for (const method of ['GET', 'HEAD']) {
      const url = `${server.origin}/api/fever/?api&api_key=${key}&mark=item&as=${as}&id=${String(itemId)}`;
      const response = await fetch(url, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    expect(await state()).toEqual(before);
  });
});
