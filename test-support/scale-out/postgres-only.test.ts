import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';
import { NativeClient } from '../token-client.js';
import { cachesTrusted, startCluster, type Cluster } from './cluster.js';

// Two instances on one PostgreSQL schema and no Redis: nothing tells one instance what the
// other revoked, so neither may answer from its in-process caches. Slower, never open.

let database: TestDatabase;
let cluster: Cluster;
let a: string;
let b: string;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'postgres' });
  cluster = await startCluster(2, database.env);
  [a, b] = cluster.instances.map((instance) => instance.origin) as [string, string];
});

afterAll(async () => {
  const codes = await cluster.stop();
  await database.drop();
  expect(codes).toEqual([0, 0]);
});

describe('two instances on PostgreSQL without Redis', () => {
  it('say they do not trust their caches', async () => {
    for (const instance of cluster.instances) expect(await cachesTrusted(instance)).toBe(false);
  });

  it('a logout on one is refused by the other on its very next request', async () => {
    const onA = new TestBrowser(a);
    expect((await onA.signup(uniqueEmail('pg-only'), GOOD_PASSWORD)).status).toBe(201);
    const onB = onA.clone(b);
    expect((await onB.me()).status).toBe(200);
    expect((await onB.me()).status).toBe(200);
    expect((await onA.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await onB.me()).status).toBe(401);
  });

  it('a bearer logout on one is refused by the other on its very next request', async () => {
    const email = uniqueEmail('pg-only');
    expect((await new TestBrowser(a).signup(email, GOOD_PASSWORD)).status).toBe(201);
    const tokens = await new NativeClient(a).signIn(email, GOOD_PASSWORD);
    const onB = new NativeClient(b);
    expect((await onB.whoami(tokens.access_token)).status).toBe(200);
    expect((await onB.whoami(tokens.access_token)).status).toBe(200);
    const logout = await new NativeClient(a).request('POST', '/api/auth/logout', { bearer: tokens.access_token });
    expect(logout.status).toBe(204);
    expect((await onB.whoami(tokens.access_token)).status).toBe(401);
  });

  it('an API key revoked on one is refused by the other on its very next request', async () => {
    const onA = new TestBrowser(a);
    expect((await onA.signup(uniqueEmail('pg-only'), GOOD_PASSWORD)).status).toBe(201);
    const created = await onA.request('POST', '/api/auth/api-keys', { json: { name: 'pg-only', scopes: ['read'] } });
    const { secret, apiKey } = (await created.json()) as { secret: string; apiKey: { id: string } };
    const onB = new NativeClient(b);
    expect((await onB.whoami(secret)).status).toBe(200);
    expect((await onB.whoami(secret)).status).toBe(200);
    expect((await onA.request('DELETE', `/api/auth/api-keys/${apiKey.id}`)).status).toBe(204);
    expect((await onB.whoami(secret)).status).toBe(401);
  });
});
