import { z } from 'zod';
import type { Clock } from '../clock.js';
import { constantTimeEqual, randomToken, sha256Hex, type RandomSource } from '../crypto.js';
import { GatehouseError } from '../errors.js';
import type { ApiKeyRecord, ApiKeyStore } from '../stores/types.js';
import { parseInput } from '../validation.js';
import { RejectedKeyCache, VerifiedKeyCache, type CachedKey, type FinalKeyRejection } from './api-key-caches.js';

/** What the owner sees of a key: never its secret or hash. */
export interface PublicApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export type ApiKeyRejection = 'malformed' | 'unknown' | 'revoked' | 'expired';

export type ApiKeyVerification = { ok: true; key: ApiKeyRecord } | { ok: false; reason: ApiKeyRejection };

export interface ApiKeysOptions {
  store: ApiKeyStore;
  clock: Clock;
  random: RandomSource;
  /** How many verified keys to keep in process (oldest out). Default 10 000. */
  cacheSize?: number;
  /** How many refused keys (unknown, revoked, expired) to remember (oldest out). Default 10 000; 0 turns it off. */
  rejectedCacheSize?: number;
  /** How long a refused key is answered from memory before the store is asked again. Default 60 s. */
  rejectedCacheTtlMs?: number;
  /** The scopes this application offers to keys. Default `['read', 'write']`. */
  scopes?: readonly string[];
  /** A key's life when its creator names none. Default 90 days. */
  defaultLifetimeMs?: number;
  /** The longest life a key may have; null lets a key live forever (`expiresInDays: null`). Default 365 days. */
  maxLifetimeMs?: number | null;
  /** Live (not revoked, not expired) keys one user may hold. Default 50. */
  maxKeysPerUser?: number;
  /**
   * False while the push channel is down: a revocation elsewhere may not have evicted a
   * cached key here, so every request reads the store. Default: always true.
   */
  cacheEnabled?: () => boolean;
}

const DEFAULTS = {
  cacheSize: 10_000,
  rejectedCacheSize: 10_000,
  rejectedCacheTtlMs: 60_000,
  scopes: ['read', 'write'],
  maxKeysPerUser: 50,
  defaultLifetimeMs: 90 * 86_400_000,
  maxLifetimeMs: 365 * 86_400_000,
} as const;

// `ghk_` lets secret scanners recognise a leaked key; the id finds the row by primary key;
// the secret is 256 bits, so the stored SHA-256 cannot be turned back into a key.
const KEY_PREFIX = 'ghk_';
const ID_BYTES = 10;
const SECRET_BYTES = 32;
const KEY_SHAPE = /^ghk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/;
const KEY_LENGTH = KEY_PREFIX.length + ID_BYTES * 2 + 1 + 43;
const ID_START = KEY_PREFIX.length;
const ID_END = ID_START + ID_BYTES * 2;
/** `ghk_` plus 8 hex characters of the id: enough to tell keys apart, useless to guess one. */
const PUBLIC_PREFIX_LENGTH = 12;

const DAY_MS = 86_400_000;
// lastUsedAt is informational: writing it on every request would turn each read into a write.
const LAST_USED_WRITE_INTERVAL_MS = 5 * 60_000;
const SCOPE_SHAPE = /^[a-z][a-z0-9_.:-]{0,63}$/;

export function toPublicApiKey(key: ApiKeyRecord): PublicApiKey {
  return {
    id: key.id,
    name: key.name,
    prefix: `${KEY_PREFIX}${key.id}`.slice(0, PUBLIC_PREFIX_LENGTH),
    scopes: [...key.scopes],
    createdAt: new Date(key.createdAt).toISOString(),
    expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    lastUsedAt: key.lastUsedAt === null ? null : new Date(key.lastUsedAt).toISOString(),
  };
}

function createKeyInput(offered: readonly string[], maxDays: number | null) {
  const offeredSet = new Set(offered);
  const days = z
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(maxDays ?? 36_500, `must be at most ${String(maxDays ?? 36_500)}`);
  return z.object({
    name: z.string({ message: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    scopes: z
      .array(z.string({ message: 'must be text' }).max(64, 'is not an offered scope'), {
        message: 'must be a list of scopes',
      })
      .min(1, 'must name at least one scope')
      .max(100, 'has too many scopes')
      .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope')
      .refine((scopes) => scopes.every((scope) => offeredSet.has(scope)), `may only contain ${offered.join(', ')}`),
    // null asks for a key that never expires: only when the operator allows it.
    expiresInDays: maxDays === null ? days.nullable().optional() : days.optional(),
  });
}

/**
 * API keys for third-party programs: `ghk_<id>_<secret>`, 256-bit secret, only a SHA-256 of
 * the whole key stored. Verified keys are cached in process; revoking evicts at once.
 */
export class ApiKeys {
  private readonly store: ApiKeyStore;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly maxKeysPerUser: number;
  private readonly cache: VerifiedKeyCache;
  private readonly rejected: RejectedKeyCache;
  private readonly cacheEnabled: () => boolean;
  private readonly createInput: ReturnType<typeof createKeyInput>;
  private readonly defaultLifetimeMs: number;

  constructor(options: ApiKeysOptions) {
    const cacheSize = options.cacheSize ?? DEFAULTS.cacheSize;
    const scopes = options.scopes ?? DEFAULTS.scopes;
    const maxKeysPerUser = options.maxKeysPerUser ?? DEFAULTS.maxKeysPerUser;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) throw new Error('ApiKeys: cacheSize must be an integer ≥ 0');
    const rejectedCacheSize = options.rejectedCacheSize ?? DEFAULTS.rejectedCacheSize;
    const rejectedCacheTtlMs = options.rejectedCacheTtlMs ?? DEFAULTS.rejectedCacheTtlMs;
    if (!Number.isSafeInteger(rejectedCacheSize) || rejectedCacheSize < 0) {
      throw new Error('ApiKeys: rejectedCacheSize must be an integer ≥ 0');
    }
    if (!Number.isSafeInteger(rejectedCacheTtlMs) || rejectedCacheTtlMs < 0) {
      throw new Error('ApiKeys: rejectedCacheTtlMs must be a whole number of milliseconds ≥ 0');
    }
    if (!Number.isSafeInteger(maxKeysPerUser) || maxKeysPerUser < 1) {
      throw new Error('ApiKeys: maxKeysPerUser must be an integer ≥ 1');
    }
    if (scopes.length === 0 || new Set(scopes).size !== scopes.length || !scopes.every((s) => SCOPE_SHAPE.test(s))) {
      throw new Error(`ApiKeys: scopes must be unique names matching ${String(SCOPE_SHAPE)}`);
    }
    this.store = options.store;
    this.clock = options.clock;
    this.random = options.random;
    this.maxKeysPerUser = maxKeysPerUser;
    this.cache = new VerifiedKeyCache(cacheSize);
    this.rejected = new RejectedKeyCache(rejectedCacheSize, rejectedCacheTtlMs);
    this.cacheEnabled = options.cacheEnabled ?? (() => true);
    const maxLifetimeMs = options.maxLifetimeMs === undefined ? DEFAULTS.maxLifetimeMs : options.maxLifetimeMs;
    const defaultLifetimeMs = options.defaultLifetimeMs ?? DEFAULTS.defaultLifetimeMs;
    if (maxLifetimeMs !== null && defaultLifetimeMs > maxLifetimeMs) {
      throw new Error('ApiKeys: defaultLifetimeMs must not exceed maxLifetimeMs');
    }
    this.defaultLifetimeMs = defaultLifetimeMs;
    this.createInput = createKeyInput([...scopes], maxLifetimeMs === null ? null : Math.floor(maxLifetimeMs / DAY_MS));
  }

  /** True when the value has the shape of one of our API keys (cheap, no lookup). */
  static looksLikeApiKey(value: string): boolean {
    return value.length === KEY_LENGTH && KEY_SHAPE.test(value);
  }

  /** Validates `{name, scopes, expiresInDays?}` (throws `validation_failed`); the secret is returned once. */
  async create(userId: string, body: unknown): Promise<{ apiKey: PublicApiKey; secret: string }> {
    const input = parseInput(this.createInput, body);
    const now = this.clock();
    // Not atomic with the insert: two concurrent creates may pass together. The cap bounds
    // abuse and list sizes; one key over it is harmless.
    const live = (await this.store.listForUser(userId)).filter((key) => !isExpired(key, now));
    if (live.length >= this.maxKeysPerUser) {
      const detail = `You already have ${String(this.maxKeysPerUser)} API keys, the most allowed: revoke one first.`;
      throw new GatehouseError('validation_failed', detail, {
        fields: { body: `at most ${String(this.maxKeysPerUser)} live keys per user` },
      });
    }

    const id = Buffer.from(this.random(ID_BYTES)).toString('hex');
    const secret = `${KEY_PREFIX}${id}_${randomToken(SECRET_BYTES, this.random)}`;
    const lifetimeMs =
      input.expiresInDays === undefined
        ? this.defaultLifetimeMs
        : input.expiresInDays === null
          ? null
          : input.expiresInDays * DAY_MS;
    const record: ApiKeyRecord = {
      id,
      userId,
      name: input.name,
      secretHash: sha256Hex(secret),
      scopes: input.scopes,
      createdAt: now,
      expiresAt: lifetimeMs === null ? null : now + lifetimeMs,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.store.create(record);
    return { apiKey: toPublicApiKey(record), secret };
  }

  /** The user's keys that are not revoked (expired ones included, so the owner sees why), newest first. */
  async list(userId: string): Promise<PublicApiKey[]> {
    return (await this.store.listForUser(userId)).map(toPublicApiKey);
  }

  /** false when the key is not the user's, unknown or already revoked. */
  async revoke(userId: string, id: string): Promise<boolean> {
    const revoked = await this.store.revoke(userId, id, this.clock());
    // Evict even on false: the key may have been revoked by another instance whose push we missed.
    this.cache.evict(id);
    return revoked;
  }

  /** Forgets a cached key; called on revocation here and when another instance pushes one. */
  evict(id: string): void {
    this.cache.evict(id);
  }

  /** Forgets every cached key: after the push channel was down and evictions may have been missed. */
  clearCache(): void {
    this.cache.clear();
    this.rejected.clear();
  }

  /** The live key, or why not. Verified keys are answered from memory until evicted or expired. */
  async verify(presented: string): Promise<ApiKeyVerification> {
    if (!ApiKeys.looksLikeApiKey(presented)) return { ok: false, reason: 'malformed' };
    const hash = sha256Hex(presented);
    // A flood of one bad key (a scanner, a leaked and revoked key retried by a bot) would
    // otherwise cost a store read per request (issue 15). Read even while the push channel
    // is down: no missed message can make a refused key valid (see RejectedKeyCache).
    const refused = this.rejected.get(hash, this.clock());
    if (refused !== undefined) return { ok: false, reason: refused };
    const cached = this.cacheEnabled() ? this.cache.get(hash) : undefined;
    return cached === undefined ? this.verifyFromStore(presented, hash) : this.accept(cached, this.clock());
  }

  private async verifyFromStore(presented: string, hash: string): Promise<ApiKeyVerification> {
    const evictionsBefore = this.cache.evictions;
    const record = await this.store.findById(presented.slice(ID_START, ID_END));
    const now = this.clock();
    // Same answer for "no such id" and "wrong secret": a caller learns nothing about which ids exist.
    if (record === undefined) return this.refuse(hash, 'unknown', now);
    if (!constantTimeEqual(Buffer.from(hash, 'utf8'), Buffer.from(record.secretHash, 'utf8'))) {
      return this.refuse(hash, 'unknown', now);
    }
    if (record.revokedAt !== null) return this.refuse(hash, 'revoked', now);
    if (isExpired(record, now)) return this.refuse(hash, 'expired', now);
    const entry: CachedKey = { record };
    // A revocation that landed while we read must not be undone by caching what we read.
    if (this.cache.evictions === evictionsBefore && this.cacheEnabled()) this.cache.set(hash, entry);
    return this.accept(entry, now);
  }

  /** Remembered by the hash of the whole presented key, never its id: a forgery cannot shadow the real key. */
  private refuse(hash: string, reason: FinalKeyRejection, now: number): ApiKeyVerification {
    this.rejected.set(hash, reason, now);
    return { ok: false, reason };
  }

  private async accept(entry: CachedKey, now: number): Promise<ApiKeyVerification> {
    // Re-checked on every hit: a cached key must not outlive its expiry.
    if (isExpired(entry.record, now)) {
      this.cache.evict(entry.record.id);
      return { ok: false, reason: 'expired' };
    }
    const lastUsedAt = entry.record.lastUsedAt;
    if (lastUsedAt === null || now - lastUsedAt >= LAST_USED_WRITE_INTERVAL_MS) {
      entry.record = { ...entry.record, lastUsedAt: now };
      await this.touch(entry.record.id, now);
    }
    return { ok: true, key: { ...entry.record, scopes: [...entry.record.scopes] } };
  }

  /** Bookkeeping only: a failed write must not turn away a key that verified. */
  private async touch(id: string, now: number): Promise<void> {
    try {
      await this.store.touch(id, now);
    } catch {
      // The next attempt comes after the write interval; the key itself was verified.
    }
  }
}

function isExpired(key: ApiKeyRecord, now: number): boolean {
  return key.expiresAt !== null && now >= key.expiresAt;
}
