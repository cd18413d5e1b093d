import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

/**
 * Issue 19, item 8: a fresh install opens on "Create account". The page asks the server
 * whether any account exists; a stranger learns that one bit and nothing else.
 */
describe('GET /api/first-run', () => {
  let server: ReaderTestServer;

  beforeAll(async () => {
    server = await startReaderTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  async function ask(): Promise<{ status: number; cacheControl: string | null; body: unknown }> {
    const response = await new TestBrowser(server.origin).request('GET', '/api/first-run');
    return {
      status: response.status,
      cacheControl: response.headers.get('cache-control'),
      body: await response.json(),
    };
  }

  it('says a fresh install is on its first run, to anyone, and forbids caching the answer', async () => {
    expect(await ask()).toEqual({ status: 200, cacheControl: 'no-store', body: { firstRun: true } });
  });

  it('says no more than "not the first run" once accounts exist: no count, no address', async () => {
    const first = uniqueEmail('first-run');
    const alice = new TestBrowser(server.origin);
    expect((await alice.signup(first, GOOD_PASSWORD)).status).toBe(201);
    expect((await new TestBrowser(server.origin).signup(uniqueEmail('second'), GOOD_PASSWORD)).status).toBe(201);
    const answer = await ask();
    expect(answer.body).toEqual({ firstRun: false });
    expect(JSON.stringify(answer.body)).not.toContain(first);
  });

  it('changes nothing: other methods are not routes', async () => {
    const browser = new TestBrowser(server.origin);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await browser.request(method, '/api/first-run', { json: { firstRun: true } })).status, method).not.toBe(
        200,
      );
    }
    expect((await ask()).body).toEqual({ firstRun: false });
  });
});
