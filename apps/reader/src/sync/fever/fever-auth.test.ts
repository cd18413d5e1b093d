import { createHash } from 'node:crypto';
import { Agent, FormData, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword, feverKey } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';

// Who may use the Fever API: the holder of a live app password's key, and nobody else.

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

type FeverBody = Record<string, unknown>;

/** A Fever call as clients make it: `?api&…` in the query, the key and marks in a form body. */
async function fever(query: string, form: Record<string, string>, dispatcher?: Agent) {
  const response = await fetch(`${server.origin}/api/fever/?api&${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'FeverTest/1.0' },
    body: new URLSearchParams(form).toString(),
    ...(dispatcher ? { dispatcher } : {}),
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/u);
  return { status: response.status, body: (await response.json()) as FeverBody };
}

/** Everything a signed-in user with an app password has; the account password is GOOD_PASSWORD. */
async function feverUser() {
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('fever-auth');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const appPassword = await createAppPassword(browser);
  const response = await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/rss2.xml') } });
  expect(response.status).toBe(201);
  return { browser, email, appPassword, key: feverKey(appPassword.feverLogin, appPassword.password) };
}

const EVERYTHING = 'groups&feeds&favicons&items&links&unread_item_ids&saved_item_ids';

describe('Fever authentication', () => {
  it('lets in md5(feverLogin:app-password), in a form body, a query or multipart, with or without the slash', async () => {
    const { key } = await feverUser();
    const { status, body } = await fever('', { api_key: key });
    expect(status).toBe(200);
    expect(body).toEqual({ api_version: 3, auth: 1, last_refreshed_on_time: Math.floor(server.now() / 1000) });

    const byQuery = await fetch(`${server.origin}/api/fever?api&api_key=${key}`);
    expect(await byQuery.json()).toMatchObject({ auth: 1 });

    const form = new FormData();
    form.set('api_key', key.toUpperCase());
    const multipart = await fetch(`${server.origin}/api/fever/?api`, { method: 'POST', body: form });
    expect(await multipart.json()).toMatchObject({ auth: 1 });
  });

  it('refuses md5(email:account-password): the account password never works here', async () => {
    const { email } = await feverUser();
    const accountKey = createHash('md5').update(`${email}:${GOOD_PASSWORD}`).digest('hex');
    const { status, body } = await fever(EVERYTHING, { api_key: accountKey });
    expect(status).toBe(200);
    // No data, not even when it was asked for: exactly the two members.
    expect(body).toEqual({ api_version: 3, auth: 0 });
  });

  it('refuses a session cookie without a key: a page the user visits cannot sync as them', async () => {
    const { browser } = await feverUser();
    const response = await browser.request('POST', `/api/fever/?api&${EVERYTHING}`, {
      body: 'unread_item_ids=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ api_version: 3, auth: 0 });
  });

  it('refuses a revoked app password on the very next request', async () => {
    const { browser, appPassword, key } = await feverUser();
    expect((await fever('unread_item_ids', { api_key: key })).body.auth).toBe(1);
    const revoked = await browser.request('DELETE', `/api/auth/app-passwords/${appPassword.id}`);
    expect(revoked.status).toBe(204);
    expect((await fever(EVERYTHING, { api_key: key })).body).toEqual({ api_version: 3, auth: 0 });
  });

  it.each([
    ['no key', {}],
    ['an empty key', { api_key: '' }],
    ['a key of another shape', { api_key: 'not-a-key' }],
    ['a key of nobody', { api_key: 'f'.repeat(32) }],
  ])('answers %s with auth 0 and nothing else, whatever else it asks', async (_name, form) => {
    await feverUser();
    const { status, body } = await fever(`${EVERYTHING}&since_id=-1&with_ids=x`, { ...form, mark: 'item', id: '1' });
    expect(status).toBe(200);
    expect(body).toEqual({ api_version: 3, auth: 0 });
  });

  it('slows a flood of wrong keys from one address to 429 with Retry-After, still saying nothing', async () => {
    // Its own address, so the failures it counts are its own.
    const agent = new Agent({ localAddress: '127.0.0.9' });
    try {
      let last = await fever('', { api_key: '0'.repeat(32) }, agent);
      for (let attempt = 0; attempt < 40 && last.status === 200; attempt += 1) {
        last = await fever('', { api_key: '0'.repeat(32) }, agent);
      }
      expect(last.status).toBe(429);
      expect(last.body).toEqual({ api_version: 3, auth: 0 });
      const again = await fetch(`${server.origin}/api/fever/?api`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `api_key=${'1'.repeat(32)}`,
        dispatcher: agent,
      });
      expect(again.status).toBe(429);
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('records the app that used the password', async () => {
    const { browser, key, appPassword } = await feverUser();
    await fever('', { api_key: key });
    const listed = await browser.request('GET', '/api/auth/app-passwords');
    const { appPasswords } = (await listed.json()) as { appPasswords: { id: string; lastUsedClient: string | null }[] };
    expect(appPasswords.find((candidate) => candidate.id === appPassword.id)?.lastUsedClient).toBe('FeverTest/1.0');
  });
});
