import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStores, type TestStores } from '../../../../test-support/test-stores.js';
import type { GatehouseStores, RevocationStore } from '../stores/types.js';
import { RevocationList } from './revocation-list.js';

const MINUTE_MS = 60_000;

// On the backend under test (GATEHOUSE_TEST_BACKEND): SQLite, PostgreSQL or PostgreSQL + Redis.
let opened: TestStores;
let stores: GatehouseStores;
let now: number;
const clock = () => now;

beforeEach(async () => {
  opened = await openTestStores();
  stores = opened.stores;
  now = Date.now();
});

afterEach(async () => {
  await opened.close();
});

async function readyList(store: RevocationStore = stores.revocations): Promise<RevocationList> {
  const list = new RevocationList({ store, clock });
  await list.ready();
  return list;
}

async function storedRows(): Promise<{ kind: string; value: string; expires_at: number }[]> {
  const rows = await opened.database.rows('select kind, value, expires_at from revocations order by kind, value');
  return rows.map((row) => ({ kind: String(row.kind), value: String(row.value), expires_at: Number(row.expires_at) }));
}

describe('RevocationList', () => {
  it('denies a value at once, for that kind only', async () => {
    const list = await readyList();
    await list.deny('jti', 'token-1', now + 10 * MINUTE_MS);
    expect(list.isDenied('jti', 'token-1')).toBe(true);
    expect(list.isDenied('sid', 'token-1')).toBe(false);
    expect(list.isDenied('jti', 'token-2')).toBe(false);
    expect(list.isDenied('jti', '__proto__')).toBe(false);
    expect(await storedRows()).toEqual([{ kind: 'jti', value: 'token-1', expires_at: now + 10 * MINUTE_MS }]);
  });

  it('survives a restart: a new list on the same store sees the denial after ready()', async () => {
    const before = await readyList();
    await before.deny('sid', 'family-1', now + 10 * MINUTE_MS);

    const afterRestart = new RevocationList({ store: stores.revocations, clock });
    expect(afterRestart.isDenied('sid', 'family-1')).toBe(false); // not loaded yet
    await afterRestart.ready();
    expect(afterRestart.isDenied('sid', 'family-1')).toBe(true);
  });

  it('forgets a denial once the credential it names would have expired', async () => {
    const list = await readyList();
    await list.deny('jti', 'token-1', now + MINUTE_MS);
    now += MINUTE_MS - 1;
    expect(list.isDenied('jti', 'token-1')).toBe(true);
    now += 1;
    expect(list.isDenied('jti', 'token-1')).toBe(false);
    expect((await readyList()).isDenied('jti', 'token-1')).toBe(false); // nor loads it again
  });

  it('keeps the later expiry when a value is denied twice, in memory and in the store', async () => {
    const list = await readyList();
    await list.deny('sid', 'family-1', now + 10 * MINUTE_MS);
    await list.deny('sid', 'family-1', now + 5 * MINUTE_MS);
    expect(await storedRows()).toEqual([{ kind: 'sid', value: 'family-1', expires_at: now + 10 * MINUTE_MS }]);
    await list.deny('sid', 'family-1', now + 20 * MINUTE_MS);
    expect(await storedRows()).toEqual([{ kind: 'sid', value: 'family-1', expires_at: now + 20 * MINUTE_MS }]);

    const restarted = await readyList();
    now += 15 * MINUTE_MS;
    expect(list.isDenied('sid', 'family-1')).toBe(true);
    expect(restarted.isDenied('sid', 'family-1')).toBe(true);
  });

  it('merges entries from elsewhere: later expiry wins, already expired ones are ignored', async () => {
    const list = await readyList();
    list.apply({ kind: 'api_key', value: 'key-1', expiresAt: now + 10 * MINUTE_MS });
    list.apply({ kind: 'api_key', value: 'key-1', expiresAt: now + MINUTE_MS });
    list.apply({ kind: 'api_key', value: 'key-2', expiresAt: now });
    now += 5 * MINUTE_MS;
    expect(list.isDenied('api_key', 'key-1')).toBe(true);
    expect(list.isDenied('api_key', 'key-2')).toBe(false);
    expect(await storedRows()).toEqual([]); // apply is for entries already stored by another instance
  });

  it('does not report a denial that could not be stored', async () => {
    const failing: RevocationStore = {
      add: () => Promise.reject(new Error('disk full')),
      listActive: (at) => stores.revocations.listActive(at),
      isRevoked: (kind, value, at) => stores.revocations.isRevoked(kind, value, at),
      deleteExpired: (at) => stores.revocations.deleteExpired(at),
    };
    const list = await readyList(failing);
    await expect(list.deny('jti', 'token-1', now + MINUTE_MS)).rejects.toThrow('disk full');
    expect(list.isDenied('jti', 'token-1')).toBe(false);
  });

  it('loads once however often ready() is called', async () => {
    const list = new RevocationList({ store: stores.revocations, clock });
    const first = list.ready();
    expect(list.ready()).toBe(first);
    await first;
  });

  it('deleteExpired removes expired rows from the store and memory, and keeps live ones', async () => {
    const list = await readyList();
    await list.deny('jti', 'short-lived', now + MINUTE_MS);
    await list.deny('jti', 'long-lived', now + 10 * MINUTE_MS);
    now += MINUTE_MS;
    expect(await list.deleteExpired()).toBe(1);
    expect(await storedRows()).toEqual([{ kind: 'jti', value: 'long-lived', expires_at: now + 9 * MINUTE_MS }]);
    expect(list.isDenied('jti', 'long-lived')).toBe(true);
    expect(list.isDenied('jti', 'short-lived')).toBe(false);
  });
});
