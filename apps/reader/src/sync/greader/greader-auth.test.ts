import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { googleLoginToken } from './greader-auth.js';
import { clientLogin, GreaderTestClient } from './greader-test-client.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
let base: string;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
  base = `${server.origin}/api/greader`;
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

interface SyncUser {
  email: string;
  browser: TestBrowser;
  appPasswordId: string;
  appPassword: string;
  client: GreaderTestClient;
}

async function syncUser(): Promise<SyncUser> {
  const email = uniqueEmail('greader-auth');
  const browser = new TestBrowser(server.origin);
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  const created = await createAppPassword(browser, 'Reeder');
  const client = await GreaderTestClient.login(base, email, created.password);
  return { email, browser, appPasswordId: created.id, appPassword: created.password, client };
}

/** Failed attempts count against 127.0.0.1: a new window keeps one test's failures from the next's. */
function freshRateLimitWindow(): void {
  server.advance(10 * 60_000);
}

describe('POST /accounts/ClientLogin', () => {
  it('trades an app password for a token, as text', async () => {
    const { email, appPassword } = await syncUser();
    const response = await clientLogin(base, { Email: email.toUpperCase(), Passwd: appPassword });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/u);
    const text = await response.text();
    expect(text).toMatch(/^SID=\S+\nLSID=\S+\nAuth=\S+\n$/u);
    const auth = /^Auth=(.+)$/mu.exec(text)?.[1] ?? '';
    const info = await new GreaderTestClient(base, auth).getJson<{ userEmail: string }>('/reader/api/0/user-info');
    expect(info.userEmail).toBe(email);
  });

  it('answers JSON with output=json, and takes the fields from the query string too', async () => {
    const { email, appPassword } = await syncUser();
    const query = `?${new URLSearchParams({ Email: email, Passwd: appPassword, output: 'json' }).toString()}`;
    const response = await fetch(`${base}/accounts/ClientLogin${query}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { SID: string; LSID: string; Auth: string };
    expect(body.Auth).toMatch(/\S{20,}/u);
    expect(Object.keys(body).sort()).toEqual(['Auth', 'LSID', 'SID']);
  });

  it('refuses the ACCOUNT password: app passwords only', async () => {
    freshRateLimitWindow();
    const { email } = await syncUser();
    const response = await clientLogin(base, { Email: email, Passwd: GOOD_PASSWORD });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Error=BadAuthentication\n');
  });

  it.each([
    ['no fields', {}],
    ['no password', { Email: 'someone@example.test' }],
    ['an unknown email', { Email: 'nobody@example.test', Passwd: 'abcd-efgh-ijkm-npqr-stuv' }],
    ['a garbage password', { Email: 'nobody@example.test', Passwd: '\u0000'.repeat(300) }],
  ])('refuses %s with Error=BadAuthentication', async (_name, fields) => {
    freshRateLimitWindow();
    const response = await clientLogin(base, fields);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Error=BadAuthentication\n');
  });

  it('works at the base URL with a trailing slash (a doubled slash)', async () => {
    const { email, appPassword } = await syncUser();
    const response = await clientLogin(`${base}/`, { Email: email, Passwd: appPassword });
    expect(response.status).toBe(200);
    const auth = /^Auth=(.+)$/mu.exec(await response.text())?.[1] ?? '';
    expect((await new GreaderTestClient(`${base}/`, auth).get('/reader/api/0/token')).status).toBe(200);
  });

  it('says 429 in the protocol’s words when an address keeps failing', async () => {
    freshRateLimitWindow();
    let last = 0;
    for (let attempt = 0; attempt < 40 && last !== 429; attempt += 1) {
      const response = await clientLogin(base, { Email: 'nobody@example.test', Passwd: 'wrong' });
      last = response.status;
      if (last === 429) {
        expect(await response.text()).toBe('Error=RateLimited\n');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      } else {
        await response.body?.cancel();
      }
    }
    expect(last).toBe(429);
    freshRateLimitWindow();
  });
});

describe('the GoogleLogin token', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a garbage token', 'not-a-token'],
    ['a forged token of the right shape', `gha_${'0'.repeat(20)}_${'A'.repeat(43)}`],
    ['an oversized token', 'x'.repeat(10_000)],
  ])('refuses %s with 401 Unauthorized', async (_name, auth) => {
    freshRateLimitWindow();
    const response = await new GreaderTestClient(base, auth).get('/reader/api/0/user-info');
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Unauthorized\n');
  });

  it('is refused on the very next request once its app password is revoked', async () => {
    freshRateLimitWindow();
    const { browser, appPasswordId, client } = await syncUser();
    expect((await client.get('/reader/api/0/subscription/list', { output: 'json' })).status).toBe(200);
    const revoked = await browser.request('DELETE', `/api/auth/app-passwords/${appPasswordId}`);
    expect(revoked.status).toBe(204);
    const after = await client.get('/reader/api/0/subscription/list', { output: 'json' });
    expect(after.status).toBe(401);
    expect(await after.text()).toBe('Unauthorized\n');
  });

  it('is never replaced by the web session cookie', async () => {
    freshRateLimitWindow();
    const { browser } = await syncUser();
    const response = await browser.request('GET', '/api/greader/reader/api/0/user-info');
    expect(response.status).toBe(401);
  });

  it('reads the header in the forms clients send', () => {
    expect(googleLoginToken('GoogleLogin auth=abc_DEF-1')).toBe('abc_DEF-1');
    expect(googleLoginToken('googlelogin   auth=abc ')).toBe('abc');
    for (const bad of [undefined, '', 'Bearer abc', 'GoogleLogin abc', 'GoogleLogin auth=', 'GoogleLogin auth=a b']) {
      expect(googleLoginToken(bad)).toBeUndefined();
    }
  });
});

describe('GET /reader/api/0/token, user-info, and the T check on POST', () => {
  it('tells the user who they are', async () => {
    const { email, client } = await syncUser();
    const info = await client.getJson<Record<string, string>>('/reader/api/0/user-info');
    expect(info).toMatchObject({ userName: email, userEmail: email });
    expect(info.userId).toBe(info.userProfileId);
  });

  it.each([
    ['no T', [] as [string, string][]],
    ['a wrong T', [['T', 'wrong-token']] as [string, string][]],
  ])('refuses a POST with %s: 401, X-Reader-Google-Bad-Token, nothing changed', async (_name, token) => {
    const { client, browser } = await syncUser();
    const subscribed = await browser.request('POST', '/api/subscriptions', {
      json: { url: fixtures.url('/rss2.xml') },
    });
    expect(subscribed.status).toBe(201);
    const ids = await client.getJson<{ itemRefs: { id: string }[] }>('/reader/api/0/stream/items/ids', { n: '10' });
    expect(ids.itemRefs).toHaveLength(2);
    const fields: [string, string][] = [
      ...token,
      ...ids.itemRefs.map((ref): [string, string] => ['i', ref.id]),
      ['a', 'user/-/state/com.google/read'],
    ];
    const response = await client.post('/reader/api/0/edit-tag', fields, false);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-reader-google-bad-token')).toBe('true');
    const unread = await browser.request('GET', '/api/items?view=unread');
    expect(((await unread.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it('takes back the token newsboat echoes with a newline', async () => {
    const { client, browser } = await syncUser();
    await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/atom.xml') } });
    const ids = await client.getJson<{ itemRefs: { id: string }[] }>('/reader/api/0/stream/items/ids');
    const token = await client.token();
    expect(token).not.toMatch(/\s/u);
    const response = await client.post('/reader/api/0/edit-tag', [
      ['i', ids.itemRefs[0]?.id ?? ''],
      ['a', 'user/-/state/com.google/starred'],
      ['T', `${token}\n`],
    ]);
    expect(response.status).toBe(200);
  });

  it('does not accept one user’s T for another user', async () => {
    const [alice, bob] = [await syncUser(), await syncUser()];
    const response = await bob.client.post('/reader/api/0/disable-tag', [
      ['s', 'user/-/label/Anything'],
      ['T', await alice.client.token()],
    ]);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-reader-google-bad-token')).toBe('true');
  });
});
