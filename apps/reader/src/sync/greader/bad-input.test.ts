import fc from 'fast-check';
import { fetch, FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../../test-support/test-browser.js';
import { createAppPassword } from '../../test-support/app-passwords.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../../test-support/reader-test-server.js';
import { GreaderTestClient } from './greader-test-client.js';

// Whatever a broken or hostile client sends: a 4xx in the protocol's words, nothing written,
// never a 500.

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;
let client: GreaderTestClient;
let userId: string;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
  const browser = new TestBrowser(server.origin);
  const email = uniqueEmail('greader-bad');
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  await browser.request('POST', '/api/subscriptions', { json: { url: fixtures.url('/rss2.xml') } });
  await browser.request('POST', '/api/folders', { json: { name: 'Kept' } });
  const { password } = await createAppPassword(browser);
  client = await GreaderTestClient.login(`${server.origin}/api/greader`, email, password);
  userId = (await client.getJson<{ userId: string }>('/reader/api/0/user-info')).userId;
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

/** Everything of the user's that a POST could change. */
async function userData(): Promise<unknown> {
  const db = server.reader.db;
  return {
    states: await db.selectFrom('item_states').selectAll().where('user_id', '=', userId).orderBy('item_id').execute(),
    subscriptions: await db
      .selectFrom('subscriptions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    folders: await db.selectFrom('folders').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
  };
}

const CONTENTS = '/reader/api/0/stream/contents';
const IDS = '/reader/api/0/stream/items/ids';
const READING_LIST = 'user/-/state/com.google/reading-list';

describe('bad query parameters on reads', () => {
  it.each([
    [`${CONTENTS}/feed%2F00000000-0000-0000-0000-000000000000`, {}, 404, 'UnknownStream'],
    [`${CONTENTS}/user/-/label/Nope`, {}, 404, 'UnknownStream'],
    [`${CONTENTS}/nonsense`, {}, 400, 'InvalidStreamId'],
    [`${CONTENTS}/user/-/state/com.google/bogus`, {}, 400, 'UnsupportedStream'],
    [`${CONTENTS}/feed%2F%ZZ`, {}, 400, 'InvalidStreamId'],
    [IDS, { s: 'user/-/state/com.example/read' }, 400, 'InvalidStreamId'],
    [IDS, { s: READING_LIST, xt: 'garbage' }, 400, 'InvalidStreamId'],
    [IDS, { s: READING_LIST, it: 'user/-/label/Nope' }, 404, 'UnknownStream'],
    [IDS, { s: READING_LIST, xt: Array.from({ length: 11 }, () => READING_LIST) }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { ot: 'yesterday' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { ot: '-1' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { ot: '1e9' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { nt: '9'.repeat(30) }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { n: '0' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { n: '1001' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { n: '99999999999999999999' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { n: 'ten' }, 400, 'InvalidParameter'],
    [IDS, { n: '10001' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { r: 'sideways' }, 400, 'InvalidParameter'],
    [`${CONTENTS}/${READING_LIST}`, { c: 'garbage' }, 400, 'InvalidContinuation'],
    [`${CONTENTS}/${READING_LIST}`, { c: Buffer.from('d.1.x').toString('base64url') }, 400, 'InvalidContinuation'],
    ['/reader/api/0/stream/items/contents', {}, 400, 'MissingParameter'],
    ['/reader/api/0/stream/items/contents', { i: 'tag:google.com,2005:reader/item/zz' }, 400, 'InvalidItemId'],
    ['/reader/api/0/stream/items/contents', { i: '999999999' }, 400, 'UnknownItem'],
    ['/reader/api/0/no-such-route', {}, 404, 'NotFound'],
  ] as [string, Record<string, string | string[]>, number, string][])(
    'GET %s %j → %i Error=%s',
    async (path, query, status, code) => {
      const response = await client.get(path, query);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/u);
      expect(await response.text()).toMatch(new RegExp(`^Error=${code}\n`, 'u'));
    },
  );

  it('accepts n=10000 for ids (NetNewsWire asks for that many)', async () => {
    expect((await client.get(IDS, { s: READING_LIST, n: '10000' })).status).toBe(200);
  });
});

describe('bad bodies on writes', () => {
  it('refuses a body over 64 KiB with 413 and changes nothing', async () => {
    const before = await userData();
    const response = await client.post('/reader/api/0/edit-tag', [
      ['i', '1'],
      ['a', 'user/-/state/com.google/read'],
      ['pad', 'x'.repeat(70 * 1024)],
    ]);
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/^Error=PayloadTooLarge\n/u);
    expect(await userData()).toEqual(before);
  });

  it('refuses JSON bodies with 415, and reads multipart forms', async () => {
    const json = await fetch(`${client.base}/reader/api/0/disable-tag`, {
      method: 'POST',
      headers: client.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ s: 'user/-/label/Kept', T: await client.token() }),
    });
    expect(json.status).toBe(415);
    const form = new FormData();
    form.append('T', await client.token());
    form.append('s', 'user/-/label/Nope');
    const multipart = await fetch(`${client.base}/reader/api/0/disable-tag`, {
      method: 'POST',
      headers: client.headers(),
      body: form,
    });
    // Read as a form: the folder is unknown (404), not an unreadable body (400 or 415).
    expect(multipart.status).toBe(404);
    const broken = await fetch(`${client.base}/reader/api/0/disable-tag`, {
      method: 'POST',
      headers: client.headers({ 'Content-Type': 'multipart/form-data; boundary=x' }),
      body: '--x\r\nnot a part',
    });
    expect(broken.status).toBe(400);
  });

  it('never answers 500 and never writes, whatever the form fields', async () => {
    const before = await userData();
    const paths = [
      '/reader/api/0/edit-tag',
      '/reader/api/0/mark-all-as-read',
      '/reader/api/0/subscription/edit',
      '/reader/api/0/rename-tag',
      '/reader/api/0/disable-tag',
    ];
    const names = ['i', 'a', 'r', 's', 't', 'ts', 'ac', 'dest', 'n', 'c', '__proto__', 'constructor'];
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom('', '0', '-1', '1e3', 'NaN', 'user/-/label/', 'feed/', 'user/-/state/com.google/', '%00'),
      // Near misses; never a whole valid request (user/-/label/Kept would rightly delete it).
      fc.constantFrom('user/-/label/Kep', 'feed/x', '0x', 'ffffffffffffffff', 'tag:google.com,2005:reader/item/'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(fc.tuple(fc.constantFrom(...names), hostile), { maxLength: 6 }),
        async (path, fields) => {
          // Never subscribe during the fuzz: that fetches, and it is tested on its own.
          const safe = fields.filter(([name, value]) => !(name === 'ac' && value === 'subscribe'));
          const response = await client.post(path, safe);
          await response.body?.cancel();
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    expect(await userData()).toEqual(before);
  });

  it('never answers 500 to hostile stream ids and parameters on reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.record(
          { n: fc.string(), c: fc.string(), ot: fc.string(), xt: fc.string(), r: fc.string() },
          {
            requiredKeys: [],
          },
        ),
        async (stream, query) => {
          const response = await client.get(`${CONTENTS}/${encodeURIComponent(stream)}`, query);
          await response.body?.cancel();
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
