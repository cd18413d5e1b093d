import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatehouseStores, RefreshTokenRecord, TokenFamilyRecord } from '../types.js';
import { openTestStores, type TestStores } from '../../../../../test-support/test-stores.js';

const NOW = 1_800_000_000_000;

// On the backend under test (GATEHOUSE_TEST_BACKEND): SQLite, PostgreSQL or PostgreSQL + Redis.
let opened: TestStores;
let stores: GatehouseStores;

beforeEach(async () => {
  opened = await openTestStores();
  stores = opened.stores;
  await stores.users.create({
    id: 'user-1',
    email: 'user-1@example.test',
    name: null,
    passwordHash: 'not-a-real-hash',
    createdAt: NOW,
    updatedAt: NOW,
    emailVerifiedAt: null,
  });
});

afterEach(async () => {
  await opened.close();
});

const family: TokenFamilyRecord = {
  id: 'family-1',
  userId: 'user-1',
  client: 'memory-token',
  createdAt: NOW,
  lastUsedAt: NOW,
  absoluteExpiresAt: NOW + 1_000_000,
  persistent: false,
  generation: 1,
  revokedAt: null,
  revokedReason: null,
  ip: null,
  userAgent: null,
};

function token(tokenHash: string, generation: number): RefreshTokenRecord {
  return { tokenHash, familyId: family.id, generation, createdAt: NOW, rotatedAt: null };
}

describe('SqlTokenFamilyStore', () => {
  it('round-trips a family and its token with numbers and booleans intact', async () => {
    await stores.tokenFamilies.create(family, token('hash-1', 1));
    expect(await stores.tokenFamilies.findToken('hash-1')).toEqual({ token: token('hash-1', 1), family });
    expect(await stores.tokenFamilies.findFamily(family.id)).toEqual(family);
    expect(await stores.tokenFamilies.findToken('hash-unknown')).toBeUndefined();
  });

  it('rotates a token once; a second rotation of it returns false and writes nothing', async () => {
    const tokenFamilies = stores.tokenFamilies;
    await tokenFamilies.create(family, token('hash-1', 1));
    expect(await tokenFamilies.rotate('hash-1', token('hash-2a', 2), NOW + 5)).toBe(true);
    expect(await tokenFamilies.rotate('hash-1', token('hash-2b', 2), NOW + 9)).toBe(false);

    expect(await tokenFamilies.findToken('hash-1')).toMatchObject({ token: { rotatedAt: NOW + 5 } });
    expect(await tokenFamilies.findToken('hash-2a')).toMatchObject({ token: { rotatedAt: null, generation: 2 } });
    expect(await tokenFamilies.findToken('hash-2b')).toBeUndefined();
    expect(await tokenFamilies.findFamily(family.id)).toMatchObject({ generation: 2, lastUsedAt: NOW + 5 });
  });

  it('rolls the whole rotation back when the successor cannot be inserted', async () => {
    const tokenFamilies = stores.tokenFamilies;
    await tokenFamilies.create(family, token('hash-1', 1));
    // A successor whose hash is already taken makes the insert fail after the UPDATE ran.
    await expect(tokenFamilies.rotate('hash-1', token('hash-1', 2), NOW + 5)).rejects.toThrow();
    expect(await tokenFamilies.findToken('hash-1')).toMatchObject({ token: { rotatedAt: null } });
    expect(await tokenFamilies.findFamily(family.id)).toMatchObject({ generation: 1, lastUsedAt: NOW });
  });
});
