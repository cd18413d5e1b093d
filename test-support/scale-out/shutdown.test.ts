import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type InstanceProcess } from '../instance-process.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'postgres+redis' });
});

afterAll(async () => {
  await database.drop();
});

describe('SIGTERM', () => {
  it('lets requests in flight finish, refuses new connections, closes the pools and exits 0', async () => {
    const instance: InstanceProcess = await startInstance({ env: database.env });
    const browser = new TestBrowser(instance.origin);
    expect((await browser.signup(uniqueEmail('drain'), GOOD_PASSWORD)).status).toBe(201);

    // Two requests in flight: their headers are here, their bodies come after 1.5 s.
    const inFlight = await Promise.all([
      browser.request('GET', '/api/test/slow?ms=1500'),
      browser.request('GET', '/api/test/slow?ms=1500'),
    ]);
    for (const response of inFlight) expect(response.status).toBe(200);

    instance.child.kill('SIGTERM');
    await instance.said('draining');
    // Once draining, the listening socket is closed: a new client cannot get in.
    await expect(fetch(`${instance.origin}/api/health`)).rejects.toThrow();

    const bodies = await Promise.all(inFlight.map((response) => response.json()));
    expect(bodies).toEqual([{ waited: 1500 }, { waited: 1500 }]);
    await instance.said('closed');
    // It exits by itself, so nothing (no pool, no Redis connection, no timer) was left open.
    expect(await instance.exited).toBe(0);
  });
});
