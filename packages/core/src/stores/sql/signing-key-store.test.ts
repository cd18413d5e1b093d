import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatehouseStores, SigningKeyRecord } from '../types.js';
import { openTestStores, type TestStores } from '../../../../../test-support/test-stores.js';

// On the backend under test (GATEHOUSE_TEST_BACKEND): SQLite, PostgreSQL or PostgreSQL + Redis.
let opened: TestStores;
let stores: GatehouseStores;

beforeEach(async () => {
  opened = await openTestStores();
  stores = opened.stores;
});

afterEach(async () => {
  await opened.close();
});

function key(kid: string, createdAt: number, retired?: { at: number; until: number }): SigningKeyRecord {
  return {
    kid,
    alg: 'EdDSA',
    publicJwk: '{}',
    privateJwe: 'jwe',
    createdAt,
    retiredAt: retired?.at ?? null,
    verifyUntil: retired?.until ?? null,
  };
}

describe('SqlSigningKeyStore', () => {
  it('lists live keys newest first, kid descending on a tie, without those past verifyUntil', async () => {
    await stores.signingKeys.create(key('a', 100));
    await stores.signingKeys.create(key('c', 200));
    await stores.signingKeys.create(key('b', 200));
    await stores.signingKeys.create(key('old', 50, { at: 60, until: 1_000 }));

    expect((await stores.signingKeys.list(999)).map((record) => record.kid)).toEqual(['c', 'b', 'a', 'old']);
    expect((await stores.signingKeys.list(1_000)).map((record) => record.kid)).toEqual(['c', 'b', 'a']);
  });

  it('retires only active keys other than the new one, leaving earlier retirements untouched', async () => {
    await stores.signingKeys.create(key('retired', 10, { at: 20, until: 500 }));
    await stores.signingKeys.create(key('active', 30));
    await stores.signingKeys.create(key('new', 40));

    expect(await stores.signingKeys.retireActive('new', 40, 900)).toEqual(['active']);
    const byKid = new Map((await stores.signingKeys.list(0)).map((record) => [record.kid, record]));
    expect(byKid.get('new')).toMatchObject({ retiredAt: null, verifyUntil: null });
    expect(byKid.get('active')).toMatchObject({ retiredAt: 40, verifyUntil: 900 });
    expect(byKid.get('retired')).toMatchObject({ retiredAt: 20, verifyUntil: 500 });
  });

  it('deletes keys at verifyUntil and never an active key', async () => {
    await stores.signingKeys.create(key('active', 30));
    await stores.signingKeys.create(key('gone', 10, { at: 20, until: 500 }));
    await stores.signingKeys.create(key('kept', 15, { at: 20, until: 501 }));

    expect(await stores.signingKeys.deleteExpired(500)).toBe(1);
    expect((await stores.signingKeys.list(0)).map((record) => record.kid)).toEqual(['active', 'kept']);
  });
});
