import { beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { NativeClient } from '../../../test-support/token-client.js';
import { afterEach } from 'vitest';

let server: TestServer;
let client: NativeClient;
beforeEach(async () => {
  server = await startTestServer();
  client = new NativeClient(server.origin);
});
afterEach(async () => {
  await server.close();
});

interface Created {
  apiKey: { id: string; name: string; prefix: string; scopes: string[] };
  secret: string;
}

async function ownerWithKey(scopes: string[] = ['read']): Promise<{ browser: TestBrowser; created: Created }> {
  const browser = new TestBrowser(server.origin);
  await browser.signup(uniqueEmail(), GOOD_PASSWORD);
  const response = await browser.request('POST', '/api/auth/api-keys', { json: { name: 'My script', scopes } });
  expect(response.status).toBe(201);
  return { browser, created: (await response.json()) as Created };
}

describe('API keys', () => {
  it('creates a key whose secret is shown once, lists it without the secret, and the key authenticates', async () => {
    const { browser, created } = await ownerWithKey();
    expect(created.secret).toMatch(/^ghk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
    const list = await (await browser.request('GET', '/api/auth/api-keys')).json();
    expect(JSON.stringify(list)).not.toContain(created.secret.slice(-43));
    expect(list).toMatchObject({ apiKeys: [{ id: created.apiKey.id, name: 'My script', scopes: ['read'] }] });

    const response = await client.whoami(created.secret);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ credential: 'api-key' });
  });

  it('enforces scopes: a read key cannot write, a write key can', async () => {
    const { created } = await ownerWithKey(['read']);
    const before = server.protectedCalls();
    const refused = await client.request('POST', '/api/test/write', { bearer: created.secret });
    expect(refused.status).toBe(403);
    expect(server.protectedCalls()).toBe(before);

    const { created: writer } = await ownerWithKey(['read', 'write']);
    expect((await client.request('POST', '/api/test/write', { bearer: writer.secret })).status).toBe(200);
    expect(server.protectedCalls()).toBe(before + 1);
  });

  it('an API key cannot manage the account (sessions, password, other keys)', async () => {
    const { created } = await ownerWithKey(['read', 'write']);
    for (const [method, path] of [
      ['GET', '/api/auth/sessions'],
      ['GET', '/api/auth/api-keys'],
      ['POST', '/api/auth/logout-all'],
    ] as const) {
      const response = await client.request(method, path, { bearer: created.secret });
      expect(response.status).toBe(403);
    }
    const mint = await client.request('POST', '/api/auth/api-keys', {
      bearer: created.secret,
      json: { name: 'escalate', scopes: ['write'] },
    });
    expect(mint.status).toBe(403);
  });

  it('a revoked key stops working on the very next request, though it was cached', async () => {
    const { browser, created } = await ownerWithKey();
    expect((await client.whoami(created.secret)).status).toBe(200); // now cached
    expect((await browser.request('DELETE', `/api/auth/api-keys/${created.apiKey.id}`)).status).toBe(204);
    expect((await client.whoami(created.secret)).status).toBe(401);
    const audit = await server.stores.audit.list({ type: 'api_key_revoked' });
    expect(audit).toHaveLength(1);
  });

  it('another user cannot revoke my key: 404, and the key still works', async () => {
    const { created } = await ownerWithKey();
    const other = new TestBrowser(server.origin);
    await other.signup(uniqueEmail(), GOOD_PASSWORD);
    expect((await other.request('DELETE', `/api/auth/api-keys/${created.apiKey.id}`)).status).toBe(404);
    expect((await client.whoami(created.secret)).status).toBe(200);
  });

  it('creating a key from a cookie session needs the CSRF token', async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signup(uniqueEmail(), GOOD_PASSWORD);
    const response = await browser.request('POST', '/api/auth/api-keys', {
      csrf: false,
      json: { name: 'x', scopes: ['read'] },
    });
    expect(response.status).toBe(403);
  });

  it('rejects bad input with a 400 naming the field', async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signup(uniqueEmail(), GOOD_PASSWORD);
    const response = await browser.request('POST', '/api/auth/api-keys', { json: { name: '', scopes: ['root'] } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(Object.keys(body.errors)).toEqual(expect.arrayContaining(['name']));
  });

  it('a tampered or unknown key is refused and audited', async () => {
    const { created } = await ownerWithKey();
    const tampered = created.secret.slice(0, -1) + (created.secret.endsWith('A') ? 'B' : 'A');
    expect((await client.whoami(tampered)).status).toBe(401);
    const audit = await server.stores.audit.list({ type: 'token_rejected' });
    expect(audit[0]?.reason).toBe('api-key:unknown');
  });
});
