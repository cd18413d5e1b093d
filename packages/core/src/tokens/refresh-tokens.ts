import { createHmac, hkdfSync } from 'node:crypto';
import type { Clock } from '../clock.js';
import { randomToken, sha256Hex, type RandomSource } from '../crypto.js';
import type { RefreshTokenRecord, TokenClient, TokenFamilyRecord, TokenFamilyStore } from '../stores/types.js';

const TOKEN_BYTES = 32; // 256 bits; only the SHA-256 is stored
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const FAMILY_ID_BYTES = 16;
const SUCCESSOR_KEY_INFO = 'gatehouse refresh-successor v1';
/** How far a duplicate inside the grace window may walk forward to reach the current token. */
const MAX_GRACE_STEPS = 5;
const REUSE_REASON = 'reuse_detected';

export interface RefreshTokensOptions {
  store: TokenFamilyStore;
  /** GATEHOUSE_SECRET: successors are derived from it (see `rotate`). */
  secret: string;
  familyLifetimeMs: number;
  graceMs: number;
  clock: Clock;
  random: RandomSource;
}

export interface NewFamilyInput {
  userId: string;
  client: TokenClient;
  persistent: boolean;
  ip: string | null;
  userAgent: string | null;
}

export type RotateOutcome =
  /** The successor: new, or the same one a concurrent duplicate inside the grace window got. */
  | { outcome: 'rotated'; token: string; family: TokenFamilyRecord }
  /** An already-rotated token after the grace window: this call revoked the whole family. */
  | { outcome: 'reused'; family: TokenFamilyRecord }
  | { outcome: 'invalid'; reason: 'malformed' | 'unknown' | 'family_revoked' | 'family_expired' };

type Invalid = Extract<RotateOutcome, { outcome: 'invalid' }>;
interface Found {
  token: RefreshTokenRecord;
  family: TokenFamilyRecord;
}

/**
 * Opaque refresh tokens in families: each use rotates, a stale token revokes the family.
 *
 * Successors are derived, not random: successor(t) = HMAC(k, t) with k from HKDF over the
 * secret. A duplicate of a just-rotated token (two tabs, a retried request) can then be given
 * the very successor the first request got without the server keeping any token in clear;
 * the database holds only hashes, and without the secret they lead nowhere.
 */
export class RefreshTokens {
  private readonly store: TokenFamilyStore;
  private readonly successorKey: Buffer;
  private readonly familyLifetimeMs: number;
  private readonly graceMs: number;
  private readonly clock: Clock;
  private readonly random: RandomSource;

  constructor(options: RefreshTokensOptions) {
    if (options.secret.length === 0) throw new Error('RefreshTokens: secret must not be empty');
    if (!Number.isFinite(options.familyLifetimeMs) || options.familyLifetimeMs <= 0) {
      throw new Error('RefreshTokens: familyLifetimeMs must be a positive number');
    }
    if (!Number.isFinite(options.graceMs) || options.graceMs < 0) {
      throw new Error('RefreshTokens: graceMs must be zero or more');
    }
    this.store = options.store;
    this.successorKey = Buffer.from(hkdfSync('sha256', options.secret, '', SUCCESSOR_KEY_INFO, 32));
    this.familyLifetimeMs = options.familyLifetimeMs;
    this.graceMs = options.graceMs;
    this.clock = options.clock;
    this.random = options.random;
  }

  /** A new family with its first token (generation 1). */
  async start(input: NewFamilyInput): Promise<{ token: string; family: TokenFamilyRecord }> {
    const now = this.clock();
    const token = randomToken(TOKEN_BYTES, this.random);
    const family: TokenFamilyRecord = {
      id: randomToken(FAMILY_ID_BYTES, this.random),
      userId: input.userId,
      client: input.client,
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + this.familyLifetimeMs,
      persistent: input.persistent,
      generation: 1,
      revokedAt: null,
      revokedReason: null,
      ip: input.ip,
      userAgent: input.userAgent === null ? null : input.userAgent.slice(0, 512),
    };
    await this.store.create(family, this.tokenRecord(token, family.id, 1, now));
    return { token, family };
  }

  async rotate(token: string): Promise<RotateOutcome> {
    if (!TOKEN_SHAPE.test(token)) return invalid('malformed');
    const tokenHash = sha256Hex(token);
    let found = await this.store.findToken(tokenHash);
    if (found === undefined) return invalid('unknown');
    const now = this.clock();
    const refusal = refuseFamily(found.family, now);
    if (refusal) return refusal;

    if (found.token.rotatedAt === null) {
      const generation = found.token.generation + 1;
      const successor = this.successorOf(token);
      const successorRecord = this.tokenRecord(successor, found.family.id, generation, now);
      if (await this.store.rotate(tokenHash, successorRecord, now)) {
        return { outcome: 'rotated', token: successor, family: { ...found.family, generation, lastUsedAt: now } };
      }
      // A concurrent request rotated it between our read and our write: from here on this is
      // a duplicate, judged on a fresh read.
      found = await this.store.findToken(tokenHash);
      if (found === undefined) return invalid('unknown');
      const refusalNow = refuseFamily(found.family, now);
      if (refusalNow) return refusalNow;
    }
    return this.answerDuplicate(token, found, now);
  }

  /** The family a token belongs to, without rotating (for logout by refresh cookie); revoked ones too. */
  async familyOf(token: string): Promise<TokenFamilyRecord | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const found = await this.store.findToken(sha256Hex(token));
    return found?.family;
  }

  listLive(userId: string): Promise<TokenFamilyRecord[]> {
    return this.store.listLiveForUser(userId, this.clock());
  }

  revoke(userId: string, familyId: string, reason: string): Promise<boolean> {
    return this.store.revoke(userId, familyId, reason, this.clock());
  }

  revokeAll(userId: string, reason: string, keepFamilyId?: string): Promise<string[]> {
    return this.store.revokeAllForUser(userId, reason, this.clock(), keepFamilyId);
  }

  deleteExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock());
  }

  /**
   * A token that was already rotated. Inside the grace window it is a benign duplicate (a
   * second tab, a retry after a lost response): follow the derived chain to the current token
   * and hand that out, so nobody is logged out by a race. Outside it, or if the chain does not
   * lead to a current token, someone is replaying an old token: assume theft (RFC 9700 §4.14.2,
   * refresh token rotation) and revoke the family, which kills the thief's tokens and the
   * victim's alike.
   */
  private async answerDuplicate(token: string, found: Found, now: number): Promise<RotateOutcome> {
    let link = token;
    let linkRotatedAt = found.token.rotatedAt;
    for (let step = 0; step < MAX_GRACE_STEPS; step++) {
      if (linkRotatedAt === null || now - linkRotatedAt > this.graceMs) break;
      link = this.successorOf(link);
      const next = await this.store.findToken(sha256Hex(link));
      if (next?.family.id !== found.family.id) break;
      if (next.token.rotatedAt === null) {
        const refusal = refuseFamily(next.family, now);
        return refusal ?? { outcome: 'rotated', token: link, family: next.family };
      }
      linkRotatedAt = next.token.rotatedAt;
    }
    return this.revokeForReuse(found.family, now);
  }

  private async revokeForReuse(family: TokenFamilyRecord, now: number): Promise<RotateOutcome> {
    const revoked = await this.store.revoke(family.userId, family.id, REUSE_REASON, now);
    // Someone else (a concurrent replay, a logout) revoked it first: the family is dead
    // either way, and only the call that revoked it reports the reuse.
    if (!revoked) return invalid('family_revoked');
    const updated = await this.store.findFamily(family.id);
    return { outcome: 'reused', family: updated ?? { ...family, revokedAt: now, revokedReason: REUSE_REASON } };
  }

  private successorOf(token: string): string {
    return createHmac('sha256', this.successorKey).update(token, 'utf8').digest('base64url');
  }

  private tokenRecord(token: string, familyId: string, generation: number, now: number): RefreshTokenRecord {
    return { tokenHash: sha256Hex(token), familyId, generation, createdAt: now, rotatedAt: null };
  }
}

function invalid(reason: Invalid['reason']): Invalid {
  return { outcome: 'invalid', reason };
}

function refuseFamily(family: TokenFamilyRecord, now: number): Invalid | undefined {
  if (family.revokedAt !== null) return invalid('family_revoked');
  // The absolute lifetime bounds how long a stolen family can be kept alive by rotating it.
  if (now >= family.absoluteExpiresAt) return invalid('family_expired');
  return undefined;
}
