import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomToken, secureRandom, sha256Hex } from '../crypto.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores } from '../stores/types.js';
import { RefreshTokens, type RefreshTokensOptions } from './refresh-tokens.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

const DAY_MS = 24 * 60 * 60 * 1000;
const LIFETIME_MS = 30 * DAY_MS;
const GRACE_MS = 10_000;
const SECRET = 'test-secret-that-is-long-enough-0123456789';

interface RefreshTokenRow {
  token_hash: string;
  family_id: string;
  generation: number;
  created_at: number;
  rotated_at: number | null;
}

let file: string;
let stores: GatehouseStores;
let now: number;
const clock = () => now;

beforeEach(async () => {
  file = join(scratchDirectory(), 'db.sqlite');
  stores = await openSqliteStores(file);
  now = Date.now();
  for (const id of ['user-1', 'user-2']) {
    await stores.users.create({
      id,
      email: `${id}@example.test`,
      name: null,
      passwordHash: 'not-a-real-hash',
      createdAt: now,
      updatedAt: now,
      emailVerifiedAt: null,
    });
  }
});

afterEach(async () => {
  await stores.close();
});

function refreshTokens(overrides: Partial<RefreshTokensOptions> = {}): RefreshTokens {
  return new RefreshTokens({
    store: stores.tokenFamilies,
    secret: SECRET,
    familyLifetimeMs: LIFETIME_MS,
    graceMs: GRACE_MS,
    clock,
    random: secureRandom,
    ...overrides,
  });
}

function start(tokens: RefreshTokens, userId = 'user-1') {
  return tokens.start({ userId, client: 'bearer', persistent: true, ip: '203.0.113.9', userAgent: 'TestAgent/1.0' });
}

/** Rotates and insists it worked; returns the successor. */
async function rotated(tokens: RefreshTokens, token: string): Promise<string> {
  const result = await tokens.rotate(token);
  if (result.outcome !== 'rotated') throw new Error(`expected rotated, got ${JSON.stringify(result)}`);
  return result.token;
}

/** Reads the table behind the store's back, as an attacker with a copy of the file would. */
function tableRows<Row>(table: 'refresh_tokens' | 'token_families'): Row[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare(`select * from ${table} order by rowid`).all() as Row[];
  } finally {
    db.close();
  }
}

describe('RefreshTokens.start and rotate', () => {
  it('starts a family at generation 1 and rotates it through generations 2 and 3', async () => {
    const tokens = refreshTokens();
    const { token: first, family } = await start(tokens);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(family).toMatchObject({ userId: 'user-1', generation: 1, revokedAt: null, lastUsedAt: now });
    expect(family.absoluteExpiresAt).toBe(now + LIFETIME_MS);
    expect(family.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

    now += 60_000;
    const result = await tokens.rotate(first);
    expect(result).toMatchObject({ outcome: 'rotated', family: { id: family.id, generation: 2, lastUsedAt: now } });
    const second = result.outcome === 'rotated' ? result.token : '';

    now += 60_000;
    const third = await tokens.rotate(second);
    expect(third).toMatchObject({ outcome: 'rotated', family: { id: family.id, generation: 3, lastUsedAt: now } });
    const issued = [first, second, third.outcome === 'rotated' ? third.token : ''];
    expect(new Set(issued).size).toBe(3);

    const rows = tableRows<RefreshTokenRow>('refresh_tokens');
    expect(rows.map((row) => [row.generation, row.rotated_at])).toEqual([
      [1, now - 60_000],
      [2, now],
      [3, null],
    ]);
    expect(rows.map((row) => row.token_hash)).toEqual(issued.map(sha256Hex));
    expect(await stores.tokenFamilies.findFamily(family.id)).toMatchObject({ generation: 3, lastUsedAt: now });
  });

  it('revokes the family when generation 1 is replayed after the grace window, killing the newest token too', async () => {
    const tokens = refreshTokens();
    const { token: stolen, family } = await start(tokens);
    const second = await rotated(tokens, stolen);
    now += GRACE_MS + 1;
    const newest = await rotated(tokens, second); // issued after the stolen one

    now += 1_000;
    const replay = await tokens.rotate(stolen);
    expect(replay).toMatchObject({
      outcome: 'reused',
      family: { id: family.id, userId: 'user-1', revokedAt: now, revokedReason: 'reuse_detected' },
    });
    expect(await tokens.rotate(newest)).toEqual({ outcome: 'invalid', reason: 'family_revoked' });
    expect(await tokens.listLive('user-1')).toEqual([]);
    expect(tableRows<RefreshTokenRow>('refresh_tokens').filter((row) => row.rotated_at === null)).toHaveLength(1);
  });

  it('treats a duplicate exactly at the end of the grace window as benign, one millisecond later as reuse', async () => {
    const tokens = refreshTokens();
    const { token: first } = await start(tokens);
    const second = await rotated(tokens, first);
    now += GRACE_MS;
    expect(await tokens.rotate(first)).toMatchObject({ outcome: 'rotated', token: second });
    now += 1;
    expect(await tokens.rotate(first)).toMatchObject({ outcome: 'reused' });
  });

  it('gives a duplicate inside the grace window the same successor and revokes nothing', async () => {
    const tokens = refreshTokens();
    const { token: first, family } = await start(tokens);
    const second = await rotated(tokens, first);
    now += 5_000;
    const duplicate = await tokens.rotate(first);
    expect(duplicate).toMatchObject({ outcome: 'rotated', token: second, family: { generation: 2, revokedAt: null } });
    expect(tableRows<RefreshTokenRow>('refresh_tokens')).toHaveLength(2); // no new generation
    expect(await stores.tokenFamilies.findFamily(family.id)).toMatchObject({ generation: 2, revokedAt: null });
  });

  it('walks a duplicate from two generations back to the current token', async () => {
    const tokens = refreshTokens();
    const { token: first } = await start(tokens);
    const second = await rotated(tokens, first);
    now += 1_000;
    const third = await rotated(tokens, second);
    now += 1_000;
    expect(await tokens.rotate(first)).toMatchObject({ outcome: 'rotated', token: third, family: { generation: 3 } });
    expect(tableRows<RefreshTokenRow>('refresh_tokens')).toHaveLength(3);
  });

  it('walks at most five links: a duplicate six generations back is reuse', async () => {
    const tokens = refreshTokens();
    const { token: first } = await start(tokens);
    const chain = [first];
    for (let i = 0; i < 6; i++) chain.push(await rotated(tokens, chain.at(-1) ?? ''));
    // chain[1] is five links from the current chain[6]; chain[0] is six.
    expect(await tokens.rotate(chain[1] ?? '')).toMatchObject({ outcome: 'rotated', token: chain[6] });
    expect(await tokens.rotate(chain[0] ?? '')).toMatchObject({ outcome: 'reused' });
  });

  it('answers 20 concurrent rotations of one token with one successor and one new generation', async () => {
    const tokens = refreshTokens();
    const { token: first, family } = await start(tokens);
    const results = await Promise.all(Array.from({ length: 20 }, () => tokens.rotate(first)));
    const successors = new Set(results.map((result) => (result.outcome === 'rotated' ? result.token : result.outcome)));
    expect(successors.size).toBe(1);
    expect([...successors][0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await stores.tokenFamilies.findFamily(family.id)).toMatchObject({ generation: 2, revokedAt: null });
    const rows = tableRows<RefreshTokenRow>('refresh_tokens');
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.rotated_at === null)).toHaveLength(1);
  });

  it('lets another instance with the same secret hand out the same successor', async () => {
    const { token: first } = await start(refreshTokens());
    const second = await rotated(refreshTokens(), first);
    expect(await refreshTokens().rotate(first)).toMatchObject({ outcome: 'rotated', token: second });
  });

  it('cannot follow the chain without the secret: a duplicate to an instance with another secret is reuse', async () => {
    const { token: first } = await start(refreshTokens());
    await rotated(refreshTokens(), first);
    const other = refreshTokens({ secret: 'a-different-secret-that-is-also-long-enough' });
    expect(await other.rotate(first)).toMatchObject({ outcome: 'reused' });
  });
});

describe('RefreshTokens refusals', () => {
  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['too long', 'a'.repeat(44)],
    ['not base64url', `${'a'.repeat(42)}+`],
    ['a prototype key', '__proto__'],
  ])('refuses a malformed token (%s) without touching the store', async (_name, token) => {
    expect(await refreshTokens().rotate(token)).toEqual({ outcome: 'invalid', reason: 'malformed' });
    expect(await refreshTokens().familyOf(token)).toBeUndefined();
  });

  it('refuses an unknown token', async () => {
    const tokens = refreshTokens();
    await start(tokens);
    expect(await tokens.rotate(randomToken(32))).toEqual({ outcome: 'invalid', reason: 'unknown' });
  });

  it('refuses a token of a revoked family, and does not let another user revoke it', async () => {
    const tokens = refreshTokens();
    const { token, family } = await start(tokens);
    expect(await tokens.revoke('user-2', family.id, 'logout')).toBe(false);
    expect(await tokens.revoke('user-1', family.id, 'logout')).toBe(true);
    expect(await tokens.revoke('user-1', family.id, 'logout')).toBe(false);
    expect(await tokens.rotate(token)).toEqual({ outcome: 'invalid', reason: 'family_revoked' });
    expect(await stores.tokenFamilies.findFamily(family.id)).toMatchObject({ revokedAt: now, revokedReason: 'logout' });
  });

  it('refuses a token of a family past its absolute lifetime, however recently it rotated', async () => {
    const tokens = refreshTokens();
    const { token: first } = await start(tokens);
    now += LIFETIME_MS - 1;
    const second = await rotated(tokens, first);
    now += 1;
    expect(await tokens.rotate(second)).toEqual({ outcome: 'invalid', reason: 'family_expired' });
  });

  it('throws at construction on unusable settings', () => {
    expect(() => refreshTokens({ secret: '' })).toThrow(/secret/);
    expect(() => refreshTokens({ familyLifetimeMs: 0 })).toThrow(/familyLifetimeMs/);
    expect(() => refreshTokens({ graceMs: -1 })).toThrow(/graceMs/);
    expect(() => refreshTokens({ graceMs: Number.NaN })).toThrow(/graceMs/);
  });
});

describe('RefreshTokens storage', () => {
  it('keeps no token in clear in the database', async () => {
    const tokens = refreshTokens();
    const { token: first } = await start(tokens);
    const issued = [first];
    for (let i = 0; i < 3; i++) issued.push(await rotated(tokens, issued.at(-1) ?? ''));

    const dump = JSON.stringify([tableRows('refresh_tokens'), tableRows('token_families')]);
    for (const token of issued) expect(dump).not.toContain(token);
    expect(tableRows<RefreshTokenRow>('refresh_tokens').map((row) => row.token_hash)).toEqual(issued.map(sha256Hex));
  });

  it('finds the family of a token without rotating it', async () => {
    const tokens = refreshTokens();
    const { token, family } = await start(tokens);
    expect(await tokens.familyOf(token)).toMatchObject({ id: family.id, generation: 1 });
    expect(await tokens.familyOf(randomToken(32))).toBeUndefined();
    expect(await tokens.rotate(token)).toMatchObject({ outcome: 'rotated' }); // it was still current
  });

  it('lists live families most recently used first, without revoked or expired ones', async () => {
    const tokens = refreshTokens();
    const old = await start(tokens);
    now += 1_000;
    const revoked = await start(tokens);
    now += 1_000;
    const recent = await start(tokens);
    await start(tokens, 'user-2');
    await tokens.revoke('user-1', revoked.family.id, 'session_revoked');
    now += 1_000;
    await rotated(tokens, old.token);
    expect((await tokens.listLive('user-1')).map((family) => family.id)).toEqual([old.family.id, recent.family.id]);

    now = old.family.absoluteExpiresAt;
    expect((await tokens.listLive('user-1')).map((family) => family.id)).toEqual([recent.family.id]);
  });

  it('revokeAll revokes every live family of the user except the one asked to keep', async () => {
    const tokens = refreshTokens();
    const a = await start(tokens);
    const kept = await start(tokens);
    const c = await start(tokens);
    const otherUser = await start(tokens, 'user-2');

    const revokedIds = await tokens.revokeAll('user-1', 'password_changed', kept.family.id);
    expect(revokedIds.sort()).toEqual([a.family.id, c.family.id].sort());
    expect((await tokens.listLive('user-1')).map((family) => family.id)).toEqual([kept.family.id]);
    expect(await tokens.rotate(a.token)).toEqual({ outcome: 'invalid', reason: 'family_revoked' });
    expect(await tokens.rotate(kept.token)).toMatchObject({ outcome: 'rotated' });
    expect(await tokens.rotate(otherUser.token)).toMatchObject({ outcome: 'rotated' });
    expect(await tokens.revokeAll('user-1', 'logout_all')).toEqual([kept.family.id]);
  });

  it('deleteExpired removes families past their lifetime with all their tokens, and nothing else', async () => {
    const tokens = refreshTokens();
    const expiring = await start(tokens);
    await rotated(tokens, expiring.token);
    now += 10 * DAY_MS;
    const living = await start(tokens);

    now = expiring.family.absoluteExpiresAt;
    expect(await tokens.deleteExpired()).toBe(1);
    expect(await stores.tokenFamilies.findFamily(expiring.family.id)).toBeUndefined();
    const rows = tableRows<RefreshTokenRow>('refresh_tokens');
    expect(rows.map((row) => row.family_id)).toEqual([living.family.id]);
    expect(await tokens.rotate(expiring.token)).toEqual({ outcome: 'invalid', reason: 'unknown' });
    expect(await tokens.rotate(living.token)).toMatchObject({ outcome: 'rotated' });
  });
});
