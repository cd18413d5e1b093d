import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secureRandom, sha256Hex } from '../crypto.js';
import { GatehouseError } from '../errors.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { ApiKeyStore, GatehouseStores } from '../stores/types.js';
import { ApiKeys, type ApiKeysOptions } from './api-keys.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

let file: string;
let stores: GatehouseStores;
let storesOpen: boolean;
let now: number;
const clock = () => now;

function apiKeys(options: Partial<ApiKeysOptions> = {}): ApiKeys {
  return new ApiKeys({ store: stores.apiKeys, clock, random: secureRandom, ...options });
}

/** A second connection to the same file: sees what is really stored, and can change it behind our back. */
function rawDatabase(): SQLite.Database {
  return new SQLite(file);
}

interface ApiKeyRow {
  id: string;
  user_id: string;
  secret_hash: string;
  scopes: string;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

function storedRow(id: string): ApiKeyRow | undefined {
  const db = rawDatabase();
  try {
    return db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
  } finally {
    db.close();
  }
}

/** Every byte SQLite wrote: the main file and its write-ahead log. */
function storedBytes(): string {
  return [file, `${file}-wal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

async function validationError(promise: Promise<unknown>): Promise<GatehouseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatehouseError);
  const gatehouseError = error as GatehouseError;
  expect(gatehouseError.code).toBe('validation_failed');
  return gatehouseError;
}

/** The key with one character of its secret part replaced. */
function tamper(key: string, index = key.length - 10): string {
  const replacement = key[index] === 'A' ? 'B' : 'A';
  return key.slice(0, index) + replacement + key.slice(index + 1);
}

beforeEach(async () => {
  file = join(scratchDirectory(), 'db.sqlite');
  stores = await openSqliteStores(file);
  storesOpen = true;
  now = Date.UTC(2026, 10, 1, 12, 0, 0);
  for (const id of ['alice', 'bob']) {
    await stores.users.create({
      id,
      email: `${id}@example.com`,
      name: null,
      passwordHash: 'not-a-real-hash',
      createdAt: now,
      updatedAt: now,
      emailVerifiedAt: null,
    });
  }
});

afterEach(async () => {
  if (storesOpen) await stores.close();
});

describe('ApiKeys.create and verify', () => {
  it('creates a ghk_ key that verifies with the scopes it was given', async () => {
    const keys = apiKeys({ scopes: ['read', 'write', 'admin'] });
    const { apiKey, secret } = await keys.create('alice', { name: '  CI deploy  ', scopes: ['read', 'admin'] });

    expect(secret).toMatch(/^ghk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
    expect(ApiKeys.looksLikeApiKey(secret)).toBe(true);
    expect(apiKey).toEqual({
      id: secret.slice(4, 24),
      name: 'CI deploy',
      prefix: secret.slice(0, 12),
      scopes: ['read', 'admin'],
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 90 * DAY_MS).toISOString(),
      lastUsedAt: null,
    });

    const result = await keys.verify(secret);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.key).toMatchObject({ id: apiKey.id, userId: 'alice', scopes: ['read', 'admin'], revokedAt: null });
  });

  it('stores neither the key nor its secret part, only the SHA-256 of the whole key', async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'marker-name-4f2a', scopes: ['read'] });
    const secretPart = secret.slice(25);

    const row = storedRow(apiKey.id);
    expect(row?.secret_hash).toBe(sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secretPart);
    // Positive control: the name is found in the raw file, so the secret would be too if it were there.
    const bytes = storedBytes();
    expect(bytes).toContain('marker-name-4f2a');
    expect(bytes).not.toContain(secretPart);
  });

  it('refuses a key that never expires unless the operator allows it', async () => {
    await expect(apiKeys().create('alice', { name: 'forever', scopes: ['read'], expiresInDays: null })).rejects.toThrow(
      /expiresInDays/,
    );
    await expect(apiKeys().create('alice', { name: 'long', scopes: ['read'], expiresInDays: 366 })).rejects.toThrow(
      /at most 365/,
    );
  });

  it('gives a key the default life when none is asked for', async () => {
    const { apiKey } = await apiKeys({ defaultLifetimeMs: 30 * DAY_MS }).create('alice', {
      name: 'default',
      scopes: ['read'],
    });
    expect(Date.parse(apiKey.expiresAt ?? '')).toBe(now + 30 * DAY_MS);
  });

  it('makes keys that never expire with expiresInDays: null when the operator allows it', async () => {
    const keys = apiKeys({ maxLifetimeMs: null });
    const { apiKey, secret } = await keys.create('alice', { name: 'forever', scopes: ['read'], expiresInDays: null });
    expect(apiKey.expiresAt).toBeNull();
    now += 20 * 365 * DAY_MS;
    expect((await keys.verify(secret)).ok).toBe(true);
  });
});

describe('ApiKeys.verify rejections', () => {
  it('says expired once the clock passes the expiry, even for a cached key', async () => {
    const keys = apiKeys();
    const { secret } = await keys.create('alice', { name: 'short', scopes: ['read'], expiresInDays: 1 });
    expect((await keys.verify(secret)).ok).toBe(true);

    now += DAY_MS - 1;
    expect((await keys.verify(secret)).ok).toBe(true);
    now += 1;
    expect(await keys.verify(secret)).toEqual({ ok: false, reason: 'expired' });
    // And from the store, with nothing cached.
    expect(await apiKeys().verify(secret)).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers unknown for a key with one character of its secret changed', async () => {
    const keys = apiKeys();
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    expect((await keys.verify(secret)).ok).toBe(true); // cached: the forgery must not ride on it

    for (const index of [25, 40, secret.length - 1]) {
      const forged = tamper(secret, index);
      expect(ApiKeys.looksLikeApiKey(forged)).toBe(true);
      expect(await keys.verify(forged)).toEqual({ ok: false, reason: 'unknown' });
    }
  });

  it('answers unknown for a well-formed key whose id does not exist', async () => {
    const keys = apiKeys();
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    const otherId = `ghk_${'0'.repeat(20)}${secret.slice(24)}`;
    expect(await keys.verify(otherId)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('answers malformed, without a lookup, for anything not shaped like a key', async () => {
    const keys = apiKeys();
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    await stores.close(); // a lookup would now throw
    storesOpen = false;

    const malformed = [
      '',
      'ghk_',
      `ghx_${secret.slice(4)}`, // wrong prefix
      `GHK_${secret.slice(4)}`,
      secret.slice(0, -1), // short
      `${secret}A`, // extra character
      `${secret}\n`,
      ` ${secret}`,
      `ghk_${secret.slice(4, 24).toUpperCase()}${secret.slice(24)}`,
      `ghk_${secret.slice(4, 24)}.${secret.slice(25)}`,
      `${secret.slice(0, 30)}+${secret.slice(31)}`, // base64, not base64url
      'a'.repeat(1_000_000),
    ];
    for (const value of malformed) {
      expect(await keys.verify(value)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('ApiKeys cache', () => {
  it('verifies a cached key with the database closed', async () => {
    const keys = apiKeys();
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    expect((await keys.verify(secret)).ok).toBe(true);

    await stores.close();
    storesOpen = false;

    expect((await keys.verify(secret)).ok).toBe(true);
    expect((await keys.verify(secret)).ok).toBe(true);
    // Control: without the cache the closed database is really unreachable.
    await expect(apiKeys().verify(secret)).rejects.toThrow();
  });

  it('verifies a cached key whose row was deleted behind its back', async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    expect((await keys.verify(secret)).ok).toBe(true);

    const db = rawDatabase();
    expect(db.prepare('DELETE FROM api_keys WHERE id = ?').run(apiKey.id).changes).toBe(1);
    db.close();

    expect((await keys.verify(secret)).ok).toBe(true);
    expect(await apiKeys().verify(secret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('keeps at most cacheSize keys, dropping the oldest', async () => {
    const keys = apiKeys({ cacheSize: 1 });
    const first = await keys.create('alice', { name: 'first', scopes: ['read'] });
    const second = await keys.create('alice', { name: 'second', scopes: ['read'] });
    expect((await keys.verify(first.secret)).ok).toBe(true);
    expect((await keys.verify(second.secret)).ok).toBe(true);

    await stores.close();
    storesOpen = false;

    expect((await keys.verify(second.secret)).ok).toBe(true);
    await expect(keys.verify(first.secret)).rejects.toThrow();
  });

  it('writes lastUsedAt at most once per five minutes', async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    const createdAt = now;
    expect(storedRow(apiKey.id)?.last_used_at).toBeNull();

    await keys.verify(secret);
    expect(storedRow(apiKey.id)?.last_used_at).toBe(createdAt);

    now += 4 * MINUTE_MS;
    await keys.verify(secret);
    expect(storedRow(apiKey.id)?.last_used_at).toBe(createdAt);

    now += MINUTE_MS;
    await keys.verify(secret);
    expect(storedRow(apiKey.id)?.last_used_at).toBe(now);
    expect((await keys.list('alice'))[0]?.lastUsedAt).toBe(new Date(now).toISOString());
  });
});

/** The real store, counting the lookups a presented key costs. */
function countingStore(): { store: ApiKeyStore; reads: () => number } {
  const real = stores.apiKeys;
  let reads = 0;
  return {
    store: {
      create: (key) => real.create(key),
      listForUser: (userId) => real.listForUser(userId),
      revoke: (userId, id, at) => real.revoke(userId, id, at),
      touch: (id, at) => real.touch(id, at),
      revokeAllForUser: (userId, at) => real.revokeAllForUser(userId, at),
      findById: (id) => {
        reads += 1;
        return real.findById(id);
      },
    },
    reads: () => reads,
  };
}

/** A well-formed key nobody issued: what a scanner or a credential-stuffing bot sends. */
function guessedKey(): string {
  return `ghk_${randomBytes(10).toString('hex')}_${randomBytes(32).toString('base64url')}`;
}

// Issue 15 item 10: every well-formed bad key used to cost a store read, so a flood of
// them was a flood of database round trips (DESIGN.md, API keys: "unknown" is one answer).
describe('ApiKeys: a flood of bad keys', () => {
  it('1,000 requests with the same unknown key cost one store read', async () => {
    const { store, reads } = countingStore();
    const keys = apiKeys({ store });
    const guess = guessedKey();
    for (let i = 0; i < 1000; i += 1) expect(await keys.verify(guess)).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1);
  });

  it('answers a repeated unknown key from memory even while the push channel is down', async () => {
    // No missed revocation can make a refused string valid, so this cache needs no channel.
    const { store, reads } = countingStore();
    const keys = apiKeys({ store, cacheEnabled: () => false });
    const guess = guessedKey();
    for (let i = 0; i < 100; i += 1) expect(await keys.verify(guess)).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1);
  });

  it('a forged secret on a real id is refused from memory, and never hides the real key', async () => {
    const { store, reads } = countingStore();
    const keys = apiKeys({ store });
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    const forged = tamper(secret);
    for (let i = 0; i < 1000; i += 1) expect(await keys.verify(forged)).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1);
    // Keyed by the whole presented key, not the id: the owner's key still verifies.
    expect((await keys.verify(secret)).ok).toBe(true);
    expect(await apiKeys({ store }).verify(forged)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('a revoked key retried 1,000 times costs one store read and is refused every time', async () => {
    const { store, reads } = countingStore();
    const keys = apiKeys({ store });
    const { apiKey, secret } = await keys.create('alice', { name: 'leaked', scopes: ['read'] });
    expect(await keys.revoke('alice', apiKey.id)).toBe(true);
    for (let i = 0; i < 1000; i += 1) expect(await keys.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(reads()).toBe(1);
  });

  it('a flood of distinct unknown keys is bounded in memory: only the newest rejectedCacheSize are kept', async () => {
    const { store, reads } = countingStore();
    const keys = apiKeys({ store, rejectedCacheSize: 100 });
    const flood = Array.from({ length: 1000 }, guessedKey);
    for (const guess of flood) expect(await keys.verify(guess)).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1000); // a read per distinct key: nothing can avoid that

    // The newest 100 are remembered …
    for (const guess of flood.slice(-100)) expect(await keys.verify(guess)).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1000);
    // … and the rest were dropped, oldest first, rather than kept without bound.
    expect(await keys.verify(flood[0] ?? '')).toEqual({ ok: false, reason: 'unknown' });
    expect(reads()).toBe(1001);
  });

  it('asks the store again once the TTL has passed, and after clearCache()', async () => {
    const { store, reads } = countingStore();
    const keys = apiKeys({ store, rejectedCacheTtlMs: MINUTE_MS });
    const guess = guessedKey();
    await keys.verify(guess);
    now += MINUTE_MS - 1;
    await keys.verify(guess);
    expect(reads()).toBe(1);
    now += 1;
    await keys.verify(guess);
    expect(reads()).toBe(2);

    keys.clearCache();
    await keys.verify(guess);
    expect(reads()).toBe(3);
  });

  it('refuses a rejection cache of negative size or TTL at construction', () => {
    expect(() => apiKeys({ rejectedCacheSize: -1 })).toThrow(/rejectedCacheSize/);
    expect(() => apiKeys({ rejectedCacheSize: 1.5 })).toThrow(/rejectedCacheSize/);
    expect(() => apiKeys({ rejectedCacheTtlMs: -1 })).toThrow(/rejectedCacheTtlMs/);
    expect(() => apiKeys({ rejectedCacheTtlMs: Number.NaN })).toThrow(/rejectedCacheTtlMs/);
  });
});

describe('ApiKeys.revoke', () => {
  it('stops a cached key at once', async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    expect((await keys.verify(secret)).ok).toBe(true);

    expect(await keys.revoke('alice', apiKey.id)).toBe(true);
    expect(await keys.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(storedRow(apiKey.id)?.revoked_at).toBe(now);
    expect(await keys.revoke('alice', apiKey.id)).toBe(false);
  });

  it("refuses to revoke another user's key", async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });

    expect(await keys.revoke('bob', apiKey.id)).toBe(false);
    expect(storedRow(apiKey.id)?.revoked_at).toBeNull();
    expect(await apiKeys().verify(secret)).toMatchObject({ ok: true });
  });

  it('drops a key revoked by another instance when evict(id) is pushed', async () => {
    const keys = apiKeys();
    const { apiKey, secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });
    expect((await keys.verify(secret)).ok).toBe(true);

    const otherInstance = apiKeys();
    expect(await otherInstance.revoke('alice', apiKey.id)).toBe(true);
    expect((await keys.verify(secret)).ok).toBe(true); // cached here until the push arrives

    keys.evict(apiKey.id);
    expect(await keys.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('does not cache a key read just before a revocation that raced the read', async () => {
    const racingStore: ApiKeyStore = {
      create: (key) => stores.apiKeys.create(key),
      listForUser: (userId) => stores.apiKeys.listForUser(userId),
      revoke: (userId, id, at) => stores.apiKeys.revoke(userId, id, at),
      touch: (id, at) => stores.apiKeys.touch(id, at),
      revokeAllForUser: (userId, at) => stores.apiKeys.revokeAllForUser(userId, at),
      findById: async (id) => {
        const record = await stores.apiKeys.findById(id);
        await keys.revoke('alice', id); // lands after the read, before the caller caches it
        return record;
      },
    };
    const keys = apiKeys({ store: racingStore });
    const { secret } = await keys.create('alice', { name: 'k', scopes: ['read'] });

    expect((await keys.verify(secret)).ok).toBe(true); // concurrent with the revoke: either answer is fair
    expect(await keys.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
  });
});

describe('ApiKeys.list', () => {
  it('shows the prefix, newest first, never the hash, and leaves revoked keys out', async () => {
    const keys = apiKeys();
    const older = await keys.create('alice', { name: 'older', scopes: ['read'] });
    now += MINUTE_MS;
    const newer = await keys.create('alice', { name: 'newer', scopes: ['read', 'write'] });
    now += MINUTE_MS;
    const revoked = await keys.create('alice', { name: 'revoked', scopes: ['read'] });
    await keys.revoke('alice', revoked.apiKey.id);
    await keys.create('bob', { name: "bob's", scopes: ['read'] });

    const list = await keys.list('alice');
    expect(list.map((key) => key.name)).toEqual(['newer', 'older']);
    expect(list[0]).toEqual(newer.apiKey);
    expect(list[1]?.prefix).toBe(older.secret.slice(0, 12));
    expect(list[1]?.prefix).toMatch(/^ghk_[0-9a-f]{8}$/);

    const serialized = JSON.stringify(list);
    expect(serialized).not.toContain(sha256Hex(older.secret));
    expect(serialized).not.toContain(older.secret.slice(25));
    expect(serialized).not.toMatch(/secretHash|userId/);
  });
});

describe('ApiKeys.create validation', () => {
  const cases: [string, unknown, string][] = [
    ['missing name', { scopes: ['read'] }, 'name'],
    ['blank name', { name: '   ', scopes: ['read'] }, 'name'],
    ['name too long', { name: 'x'.repeat(101), scopes: ['read'] }, 'name'],
    ['name not text', { name: 42, scopes: ['read'] }, 'name'],
    ['missing scopes', { name: 'k' }, 'scopes'],
    ['empty scopes', { name: 'k', scopes: [] }, 'scopes'],
    ['scope not offered', { name: 'k', scopes: ['read', 'admin'] }, 'scopes'],
    ['repeated scope', { name: 'k', scopes: ['read', 'read'] }, 'scopes'],
    ['scopes not a list', { name: 'k', scopes: 'read' }, 'scopes'],
    ['scope not text', { name: 'k', scopes: [1] }, 'scopes.0'],
    ['zero days', { name: 'k', scopes: ['read'], expiresInDays: 0 }, 'expiresInDays'],
    ['too many days', { name: 'k', scopes: ['read'], expiresInDays: 3651 }, 'expiresInDays'],
    ['fractional days', { name: 'k', scopes: ['read'], expiresInDays: 1.5 }, 'expiresInDays'],
    ['days as text', { name: 'k', scopes: ['read'], expiresInDays: '30' }, 'expiresInDays'],
  ];

  it.each(cases)('names the field for %s', async (_label, body, field) => {
    const error = await validationError(apiKeys().create('alice', body));
    expect(Object.keys(error.fields ?? {})).toContain(field);
    expect(error.detail).toContain(field);
  });

  it('refuses a body that is not an object, and writes nothing on any refusal', async () => {
    const keys = apiKeys();
    for (const body of [null, 'name', [], 0]) await validationError(keys.create('alice', body));
    await validationError(keys.create('alice', JSON.parse('{"__proto__": {"name": "k"}, "scopes": ["read"]}')));
    expect(await keys.list('alice')).toEqual([]);
  });

  it('caps the live keys per user, counting neither revoked nor expired keys', async () => {
    const keys = apiKeys({ maxKeysPerUser: 3 });
    const first = await keys.create('alice', { name: 'a', scopes: ['read'] });
    await keys.create('alice', { name: 'b', scopes: ['read'], expiresInDays: 1 });
    await keys.create('alice', { name: 'c', scopes: ['read'] });

    const error = await validationError(keys.create('alice', { name: 'd', scopes: ['read'] }));
    expect(error.detail).toMatch(/3 API keys.*revoke one/);
    expect(await keys.list('alice')).toHaveLength(3);
    await keys.create('bob', { name: 'bob', scopes: ['read'] }); // the cap is per user

    expect(await keys.revoke('alice', first.apiKey.id)).toBe(true);
    await keys.create('alice', { name: 'd', scopes: ['read'] });
    await validationError(keys.create('alice', { name: 'e', scopes: ['read'] }));

    now += DAY_MS; // 'b' expires
    await keys.create('alice', { name: 'e', scopes: ['read'] });
  });

  it('refuses unsafe configuration at construction', () => {
    expect(() => apiKeys({ scopes: [] })).toThrow(/scopes/);
    expect(() => apiKeys({ scopes: ['read', 'read'] })).toThrow(/scopes/);
    expect(() => apiKeys({ scopes: ['Read All'] })).toThrow(/scopes/);
    expect(() => apiKeys({ maxKeysPerUser: 0 })).toThrow(/maxKeysPerUser/);
    expect(() => apiKeys({ cacheSize: -1 })).toThrow(/cacheSize/);
  });
});
