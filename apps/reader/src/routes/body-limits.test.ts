import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

let server: ReaderTestServer;
beforeAll(async () => {
  server = await startReaderTestServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * Issue 15, finding 6, on the reader's own limits: a 413 leaves the body unread, and the
 * connection must be closed by saying so, or a keep-alive client's next request on it fails.
 */
describe("the reader API's 413s close the connection, and the next request works", () => {
  it.each([
    ['a JSON body over 64 KiB', '/api/folders', 'application/json', JSON.stringify({ name: 'x'.repeat(2 << 20) })],
    ['an OPML file over 1 MiB', '/api/opml', 'text/x-opml', `<opml version="2.0">${' '.repeat(2 << 20)}</opml>`],
  ])('%s: 413 with Connection: close, then a request on the same pool succeeds', async (_name, path, type, body) => {
    const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    try {
      const browser = new TestBrowser(server.origin, undefined, undefined, agent);
      expect((await browser.signup(uniqueEmail('limits'), GOOD_PASSWORD)).status).toBe(201);
      const refused = await browser.request('POST', path, { body, headers: { 'Content-Type': type } });
      expect(refused.status).toBe(413);
      expect(refused.headers.get('connection')).toBe('close');
      expect(((await refused.json()) as { code: string }).code).toBe('payload_too_large');
      const next = await browser.request('POST', '/api/folders', { json: { name: 'After' } });
      expect(next.status).toBe(201);
    } finally {
      await agent.close();
    }
  });
});
