import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';
import { NativeClient, type NativeTokens } from '../token-client.js';
import { cachesTrusted, eventually, startCluster, type Cluster } from './cluster.js';
import { judge, startLoad, type Outcome } from './load.js';
import { PrivateRedis } from './private-redis.js';

// Two instances on the shared PostgreSQL and a Redis of this test's own, which it kills
// while both instances serve a steady load, and later starts again (empty, as a Redis that
// lost its data would be).

let redis: PrivateRedis;
let database: TestDatabase;
let cluster: Cluster;
let a: string;
let b: string;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  database = await createTestDatabase({ backend: 'postgres+redis', redisUrl: redis.url });
  cluster = await startCluster(2, database.env);
  [a, b] = cluster.instances.map((instance) => instance.origin) as [string, string];
});

afterAll(async () => {
  const codes = await cluster.stop();
  await database.drop();
  await redis.kill();
  expect(codes).toEqual([0, 0]);
});

let nextAddress = 2;
/** Each user signs up from an address of its own, so the per-IP sign-up limit stays out of the way. */
async function newUser(): Promise<{ email: string; browser: TestBrowser }> {
  const email = uniqueEmail('redis-outage');
  const browser = new TestBrowser(a, `127.0.0.${String(nextAddress)}`);
  nextAddress += 1;
  expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
  return { email, browser };
}

/** A signed-in browser and bearer tokens of one user, each already used on both instances. */
async function warmCredentials(): Promise<{ onA: TestBrowser; onB: TestBrowser; tokens: NativeTokens }> {
  const { email, browser: onA } = await newUser();
  const tokens = await new NativeClient(a).signIn(email, GOOD_PASSWORD);
  const onB = onA.clone(b);
  for (const origin of [a, b]) {
    expect((await onA.clone(origin).request('GET', '/api/test/whoami')).status).toBe(200);
    expect((await new NativeClient(origin).whoami(tokens.access_token)).status).toBe(200);
  }
  return { onA, onB, tokens };
}

function scenario(label: string, run: () => Promise<{ outcome: Outcome; detail?: string }>) {
  return async () => ({ label, ...(await run()) });
}

describe('Redis dies while both instances serve', () => {
  it('answers right or 503 store_unavailable, never accepts a revoked credential, and recovers', async () => {
    const keeper = await warmCredentials();
    // Revoked while Redis is up: acknowledged with 204, so refused before, during and after.
    const before = await warmCredentials();
    expect((await before.onA.request('POST', '/api/auth/logout')).status).toBe(204);
    const beforeLogout = await new NativeClient(a).request('POST', '/api/auth/logout', {
      bearer: before.tokens.access_token,
    });
    expect(beforeLogout.status).toBe(204);
    // Revoked during the outage (below): whatever the answer, refused from then on.
    const during = await warmCredentials();
    const revoked: { label: string; check: (origin: string) => Promise<number> }[] = [];
    const refuseRevoked = (label: string, check: (origin: string) => Promise<number>) => {
      revoked.push({ label, check });
    };
    refuseRevoked(
      'session logged out before the outage',
      async (origin) => (await before.onB.clone(origin).me()).status,
    );
    refuseRevoked(
      'access token logged out before the outage',
      async (origin) => (await new NativeClient(origin).whoami(before.tokens.access_token)).status,
    );

    const load = startLoad([
      ...[a, b].map((origin) =>
        scenario(`keeper session on ${origin}`, async () => ({
          outcome: await judge(await keeper.onA.clone(origin).request('GET', '/api/test/whoami'), 200),
        })),
      ),
      ...[a, b].map((origin) =>
        scenario(`keeper access token on ${origin}`, async () => ({
          outcome: await judge(await new NativeClient(origin).whoami(keeper.tokens.access_token), 200),
        })),
      ),
      ...[a, b].map((origin) =>
        scenario(`revoked credentials on ${origin}`, async () => {
          for (const { label, check } of revoked) {
            const status = await check(origin);
            if (status !== 401 && status !== 503) return { outcome: 'wrong', detail: `${label} got ${String(status)}` };
          }
          return { outcome: 'ok' };
        }),
      ),
    ]);

    await load.requests(20);
    await redis.kill();
    // Revocations while Redis is down: the store has them, the push channel cannot carry them.
    const sessionLogout = await during.onA.request('POST', '/api/auth/logout');
    expect([204, 503]).toContain(sessionLogout.status);
    refuseRevoked(
      'session logged out during the outage',
      async (origin) => (await during.onB.clone(origin).me()).status,
    );
    const tokenLogout = await new NativeClient(a).request('POST', '/api/auth/logout', {
      bearer: during.tokens.access_token,
    });
    expect([204, 503]).toContain(tokenLogout.status);
    refuseRevoked(
      'access token logged out during the outage',
      async (origin) => (await new NativeClient(origin).whoami(during.tokens.access_token)).status,
    );
    // The very next request on the other instance already refuses both.
    expect([401, 503]).toContain((await during.onB.me()).status);
    expect([401, 503]).toContain((await new NativeClient(b).whoami(during.tokens.access_token)).status);
    // Sign-in needs the shared rate-limit counters: refused with 503 rather than counted nowhere.
    const login = await new TestBrowser(b, '127.0.1.1').login(uniqueEmail('nobody'), GOOD_PASSWORD);
    expect(await judge(login, 401)).not.toBe('wrong');

    await load.requests(100);
    const outage = await load.stop();
    // On failure, what the instances printed (a crash shows its stack there).
    const output = cluster.instances.map((instance) => instance.output().slice(-4000)).join('\n---\n');
    expect(outage.wrong, output).toEqual([]);
    expect(outage.ok).toBeGreaterThan(0);
    for (const instance of cluster.instances) expect(instance.child.exitCode).toBeNull();

    await redis.start();
    // Recovery is by itself, in the background: wait for it (not a revocation check).
    for (const instance of cluster.instances) {
      await eventually(() => cachesTrusted(instance), `${instance.origin} trusts its caches again`);
    }

    for (const origin of [a, b]) {
      expect((await keeper.onA.clone(origin).request('GET', '/api/test/whoami')).status).toBe(200);
      expect((await new NativeClient(origin).whoami(keeper.tokens.access_token)).status).toBe(200);
      for (const { label, check } of revoked)
        expect({ label, status: await check(origin) }).toEqual({ label, status: 401 });
    }
    // And sign-in works again.
    const { email } = await newUser();
    expect((await new TestBrowser(b, '127.0.1.2').login(email, GOOD_PASSWORD)).status).toBe(200);
  });
});
