import { describe, expect, it } from 'vitest';
import type { GatehouseStores } from '@gatehouse/core';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { serversPerTest } from '../../../test-support/test-server.js';

const start = serversPerTest();

/**
 * The stores as they are, except that storing a first credential (a session, or a token
 * family) fails the way a database that just went away fails, while `failing` is set.
 */
function credentialWritesFail(failing: () => boolean) {
  const failOnCreate = <T extends object>(store: T): T =>
    new Proxy(store, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property !== 'create' || typeof value !== 'function') return value;
        return (...args: unknown[]): unknown =>
          failing()
            ? Promise.reject(new Error('Connection terminated unexpectedly'))
            : Reflect.apply(value, target, args);
      },
    });
  return (stores: GatehouseStores): GatehouseStores => ({
    ...stores,
    sessions: failOnCreate(stores.sessions),
    tokenFamilies: failOnCreate(stores.tokenFamilies),
  });
}

describe.each(['session', 'jwt-cookie'])('signup is all-or-nothing (%s mode)', (mode) => {
  it('a store failing after the account row: 503, no account left behind, the same signup works later', async () => {
    let failing = true;
    const server = await start({
      env: { GATEHOUSE_BROWSER_MODE: mode },
      wrapStores: credentialWritesFail(() => failing),
    });
    const email = uniqueEmail('atomic-signup');

    const refused = await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
    expect(await server.database.rows(`select id from users where email = '${email}'`)).toEqual([]);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { code: string }).code).toBe('store_unavailable');

    failing = false;
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(email, GOOD_PASSWORD)).status).toBe(201);
    expect((await browser.me()).status).toBe(200);
    expect(await server.database.rows(`select id from users where email = '${email}'`)).toHaveLength(1);
  });
});
