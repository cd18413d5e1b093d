import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';
import { NativeClient } from '../token-client.js';
import { startCluster, type Cluster } from './cluster.js';

// Two server processes on one PostgreSQL schema and one Redis prefix. Every check on the
// second instance comes right after the first answered: no sleeping, no polling. Each
// credential is used on the second instance first, so it sits in that instance's caches and
// only the push channel can tell it about the revocation.

let database: TestDatabase;
let cluster: Cluster;
let a: string;
let b: string;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'postgres+redis' });
  // No refresh grace: a replayed refresh token counts as reuse at once.
  cluster = await startCluster(2, { ...database.env, GATEHOUSE_REFRESH_GRACE: '0' });
  [a, b] = cluster.instances.map((instance) => instance.origin) as [string, string];
});

afterAll(async () => {
  const codes = await cluster.stop();
  await database.drop();
  expect(codes).toEqual([0, 0]);
});

async function signedUp(): Promise<{ email: string; onA: TestBrowser }> {
  const email = uniqueEmail('cluster');
  const onA = new TestBrowser(a);
  expect((await onA.signup(email, GOOD_PASSWORD)).status).toBe(201);
  return { email, onA };
}

describe('two instances sharing PostgreSQL and Redis', () => {
  it('a session made on one instance works on the other', async () => {
    const { email, onA } = await signedUp();
    const onB = onA.clone(b);
    const me = await onB.me();
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(email);
    // A state-changing request too: CSRF secret and session come from the shared stores.
    expect((await onB.request('POST', '/api/test/protected')).status).toBe(200);
  });

  it('logout on one instance: the other rejects the cookie on its very next request', async () => {
    const { onA } = await signedUp();
    const onB = onA.clone(b);
    expect((await onB.me()).status).toBe(200);
    expect((await onB.me()).status).toBe(200);

    expect((await onA.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await onB.me()).status).toBe(401);
  });

  it('revoking a session on one instance: the other rejects it on its very next request', async () => {
    const { email, onA } = await signedUp();
    const phone = new TestBrowser(b, undefined, 'Phone/1.0');
    expect((await phone.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect((await phone.me()).status).toBe(200);

    const list = (await (await onA.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    const phoneSession = list.sessions.find((session) => !session.current);
    expect(phoneSession).toBeDefined();
    expect((await onA.request('DELETE', `/api/auth/sessions/${phoneSession?.id ?? ''}`)).status).toBe(204);
    expect((await phone.me()).status).toBe(401);
    expect((await onA.me()).status).toBe(200);
  });

  it('log out everywhere on one instance ends every session on the other', async () => {
    const { email, onA } = await signedUp();
    const phone = new TestBrowser(b);
    expect((await phone.login(email, GOOD_PASSWORD)).status).toBe(200);
    expect((await phone.me()).status).toBe(200);

    expect((await onA.request('POST', '/api/auth/logout-all')).status).toBe(204);
    expect((await phone.me()).status).toBe(401);
  });

  it('access tokens from one instance work on the other; bearer logout on one denies them on the other', async () => {
    const { email } = await signedUp();
    const tokens = await new NativeClient(a).signIn(email, GOOD_PASSWORD);
    const onB = new NativeClient(b);
    expect((await onB.whoami(tokens.access_token)).status).toBe(200);

    const logout = await new NativeClient(a).request('POST', '/api/auth/logout', { bearer: tokens.access_token });
    expect(logout.status).toBe(204);
    expect((await onB.whoami(tokens.access_token)).status).toBe(401);
    expect((await onB.refresh(tokens.refresh_token)).status).toBe(401);
  });

  it('refresh reuse detected on one instance: the other rejects the family on its very next request', async () => {
    const { email } = await signedUp();
    const onA = new NativeClient(a);
    const onB = new NativeClient(b);
    const first = await onA.signIn(email, GOOD_PASSWORD);

    // Rotate on B, so the current access token was issued there and is verified (cached) there.
    const rotated = await onB.refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect((await onB.whoami(second.access_token)).status).toBe(200);

    // The stolen first refresh token is replayed on A: reuse, so A revokes the whole family.
    const replay = await onA.refresh(first.refresh_token);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('token_reused');

    expect((await onB.whoami(second.access_token)).status).toBe(401);
    expect((await onB.refresh(second.refresh_token)).status).toBe(401);
  });

  it('an API key revoked on one instance is refused by the other on its very next request', async () => {
    const { onA } = await signedUp();
    const created = await onA.request('POST', '/api/auth/api-keys', { json: { name: 'cluster', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const { secret, apiKey } = (await created.json()) as { secret: string; apiKey: { id: string } };
    const onB = new NativeClient(b);
    expect((await onB.whoami(secret)).status).toBe(200);
    expect((await onB.whoami(secret)).status).toBe(200);

    expect((await onA.request('DELETE', `/api/auth/api-keys/${apiKey.id}`)).status).toBe(204);
    expect((await onB.whoami(secret)).status).toBe(401);
  });

  it('rate limits are counted across instances: failures on both add up', async () => {
    const { email } = await signedUp();
    const statuses: number[] = [];
    // loginPerAccountAndIp allows 5 failures (DEFAULT_RATE_LIMITS). Alternating instances,
    // the 6th attempt is refused only if both count in one place; each alone has seen 3.
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const response = await new TestBrowser(attempt % 2 === 0 ? a : b).login(email, 'wrong password, attempt');
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
