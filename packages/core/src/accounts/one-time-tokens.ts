import type { Clock } from '../clock.js';
import { randomToken, sha256Hex, type RandomSource } from '../crypto.js';
import type { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokenStore } from '../stores/types.js';

const TOKEN_BYTES = 32; // 256 bits: not guessable, so only its SHA-256 needs storing
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface IssueOneTimeToken {
  userId: string;
  purpose: OneTimeTokenPurpose;
  email: string | null;
  ttlMs: number;
}

/**
 * The tokens in mailed links: 256-bit, stored hashed, single-use, short-lived. Issuing one
 * voids the user's earlier unused tokens of the same purpose, so only the newest link works.
 */
export class OneTimeTokens {
  constructor(
    private readonly store: OneTimeTokenStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async issue(input: IssueOneTimeToken): Promise<string> {
    const now = this.clock();
    await this.store.voidForUser(input.userId, [input.purpose], now);
    const token = randomToken(TOKEN_BYTES, this.random);
    await this.store.create({
      tokenHash: sha256Hex(token),
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      createdAt: now,
      expiresAt: now + input.ttlMs,
      usedAt: null,
    });
    return token;
  }

  /** The live token, without using it up (a page checking its link before asking for input). */
  async peek(token: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenRecord | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return this.store.findLive(sha256Hex(token), purpose, this.clock());
  }

  /** Uses the token up; undefined for unknown, used, expired or voided (one answer for all). */
  async consume(token: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenRecord | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return this.store.consume(sha256Hex(token), purpose, this.clock());
  }

  voidForUser(userId: string, purposes: readonly OneTimeTokenPurpose[]): Promise<number> {
    return this.store.voidForUser(userId, purposes, this.clock());
  }
}
