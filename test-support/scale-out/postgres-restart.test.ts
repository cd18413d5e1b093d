import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';
import { NativeClient, type NativeTokens } from '../token-client.js';
import { startCluster, type Cluster } from './cluster.js';
import { judge, startLoad, type Outcome } from './load.js';
import { PrivatePostgres } from './private-postgres.js';

// Two instances on a PostgreSQL cluster of this test's own (and the shared Redis, under a
// prefix of their own). While both serve a load that signs up, logs out and revokes, the
// database is killed (every backend at once, WAL replay on start) and started again.
// Whatever was acknowledged with a 2xx must still hold afterwards.

let postgres: PrivatePostgres;
let database: TestDatabase;
let cluster: Cluster;
let a: string;
let b: string;

beforeAll(async () => {
  postgres = await PrivatePostgres.start();
  database = await createTestDatabase({ backend: 'postgres+redis', postgresUrl: postgres.url });
  cluster = await startCluster(2, database.env);
  [a, b] = cluster.instances.map((instance) => instance.origin) as [string, string];
});

afterAll(async () => {
  const codes = await cluster.stop();
  await database.drop();
  await postgres.destroy();
  expect(codes).toEqual([0, 0]);
});

let nextAddress = 2;
/** A client address of its own per sign-up, so the per-IP sign-up limit stays out of the way. */
function freshAddress(): string {
  const address = `127.0.${String(Math.floor(nextAddress / 250))}.${String((nextAddress % 250) + 2)}`;
  nextAddress += 1;
  return address;
}

/** What the load got acknowledged; checked after the restart. */
const acknowledged = {
  signups: [] as string[],
  loggedOutSessions: [] as TestBrowser[],
  loggedOutTokens: [] as NativeTokens[],
};

async function signUp(origin: string): Promise<{ outcome: Outcome; email: string; browser: TestBrowser }> {
  const email = uniqueEmail('pg-restart');
  const browser = new TestBrowser(origin, freshAddress());
  const outcome = await judge(await browser.signup(email, GOOD_PASSWORD), 201);
  if (outcome === 'ok') acknowledged.signups.push(email);
  return { outcome, email, browser };
}

/** Signs up, uses the session on both instances, logs out; records what was acknowledged. */
async function sessionLifecycle(origin: string, other: string): Promise<{ outcome: Outcome; detail?: string }> {
  const { outcome, browser } = await signUp(origin);
  if (outcome !== 'ok') return { outcome };
  const used = await judge(await browser.clone(other).request('GET', '/api/test/whoami'), 200);
  if (used !== 'ok') return { outcome: used, detail: 'a fresh session on the other instance' };
  const logout = await judge(await browser.clone(other).request('POST', '/api/auth/logout'), 204);
  if (logout === 'ok') acknowledged.loggedOutSessions.push(browser.clone(origin));
  return { outcome: logout, detail: 'logout' };
}

/** Native sign-in on one instance, bearer logout on the other. */
async function tokenLifecycle(origin: string, other: string): Promise<{ outcome: Outcome; detail?: string }> {
  const { outcome, email } = await signUp(origin);
  if (outcome !== 'ok') return { outcome };
  const signIn = await new NativeClient(origin).request('POST', '/api/auth/token', {
    json: { email, password: GOOD_PASSWORD },
  });
  if (signIn.status !== 200) return { outcome: await judge(signIn, 200), detail: 'token sign-in' };
  const tokens = (await signIn.json()) as NativeTokens;
  const logout = await judge(
    await new NativeClient(other).request('POST', '/api/auth/logout', { bearer: tokens.access_token }),
    204,
  );
  if (logout === 'ok') acknowledged.loggedOutTokens.push(tokens);
  return { outcome: logout, detail: 'bearer logout' };
}

describe('PostgreSQL restarts under load', () => {
  it('answers right or 503 store_unavailable, and nothing acknowledged is lost', async () => {
    const keeperEmail = uniqueEmail('keeper');
    const keeper = new TestBrowser(a, freshAddress());
    expect((await keeper.signup(keeperEmail, GOOD_PASSWORD)).status).toBe(201);

    const scenario = (label: string, run: () => Promise<{ outcome: Outcome; detail?: string }>) => async () => ({
      label,
      ...(await run()),
    });
    const load = startLoad([
      scenario('session lifecycle A→B', () => sessionLifecycle(a, b)),
      scenario('token lifecycle B→A', () => tokenLifecycle(b, a)),
      scenario('keeper on A', async () => ({ outcome: await judge(await keeper.clone(a).me(), 200) })),
      scenario('keeper on B', async () => ({ outcome: await judge(await keeper.clone(b).me(), 200) })),
    ]);

    await load.requests(20);
    await postgres.stop();
    await load.requests(40);
    await postgres.start();
    await load.requests(60);
    const report = await load.stop();

    // On failure, what the instances printed (a crash shows its stack there).
    const output = cluster.instances.map((instance) => instance.output().slice(-4000)).join('\n---\n');
    expect(report.wrong, output).toEqual([]);
    expect(report.unavailable).toBeGreaterThan(0);
    for (const instance of cluster.instances) expect(instance.child.exitCode).toBeNull();

    // Everything acknowledged holds, on both instances.
    expect(acknowledged.signups.length).toBeGreaterThan(0);
    expect(acknowledged.loggedOutSessions.length).toBeGreaterThan(0);
    expect(acknowledged.loggedOutTokens.length).toBeGreaterThan(0);
    const stored = await database.rows('select email from users');
    const storedEmails = new Set(stored.map((row) => String(row.email)));
    expect(acknowledged.signups.filter((email) => !storedEmails.has(email))).toEqual([]);
    for (const origin of [a, b]) {
      for (const browser of acknowledged.loggedOutSessions) expect((await browser.clone(origin).me()).status).toBe(401);
      for (const tokens of acknowledged.loggedOutTokens) {
        expect((await new NativeClient(origin).whoami(tokens.access_token)).status).toBe(401);
      }
      expect((await keeper.clone(origin).me()).status).toBe(200);
    }
    // And a signup acknowledged during the load can sign in.
    const last = acknowledged.signups.at(-1) ?? '';
    expect((await new TestBrowser(b, freshAddress()).login(last, GOOD_PASSWORD)).status).toBe(200);
  });
});
