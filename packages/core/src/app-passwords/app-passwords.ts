import { createHmac, hkdfSync } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { constantTimeEqual, sha256Hex, type RandomSource } from '../crypto.js';
import { GatehouseError } from '../errors.js';
import type { AppPasswordRecord, AppPasswordStore, UserStore } from '../stores/types.js';
import { parseInput } from '../validation.js';
import { canonicalAppPassword, feverApiKey, newAppPassword } from './app-password-secret.js';

/** What the owner sees of an app password: never the password or a hash. */
export interface PublicAppPassword {
  id: string;
  name: string;
  /** The login a Fever app must be given with this password (the email it was made under). */
  feverLogin: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** The User-Agent of the app that used it last. */
  lastUsedClient: string | null;
}

/** Who a sync request is: the user, and which of their app passwords let it in. */
export interface AppPasswordUser {
  userId: string;
  email: string;
  appPasswordId: string;
}

export interface AppPasswordsOptions {
  store: AppPasswordStore;
  users: UserStore;
  clock: Clock;
  random: RandomSource;
  /** GATEHOUSE_SECRET: keys the sign-in tokens and edit tokens. */
  secret: string;
  /** Live app passwords one user may hold. Default 20. */
  maxPerUser?: number;
}

const CreateInput = z.object({
  name: z.string({ message: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
});

const ID_BYTES = 10;
// `gha_<id>_<mac>`: the id finds the row by primary key; the MAC binds the token to that
// password's hash, so a token dies with its password and cannot be forged without the secret.
const TOKEN_SHAPE = /^gha_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/u;
const FEVER_KEY_SHAPE = /^[0-9a-f]{32}$/u;
// lastUsedAt is informational: writing it on every sync request would turn reads into writes.
const LAST_USED_WRITE_INTERVAL_MS = 5 * 60_000;
const CLIENT_MAX_LENGTH = 200;

/**
 * App passwords: one per device's reader app, for the sync APIs only. Nothing is cached in
 * process: every request reads the row, so a revocation holds on every instance at once.
 */
export class AppPasswords {
  private readonly tokenKey: Buffer;
  private readonly editTokenKey: Buffer;
  private readonly maxPerUser: number;

  constructor(private readonly options: AppPasswordsOptions) {
    this.tokenKey = derive(options.secret, 'gatehouse app-password token v1');
    this.editTokenKey = derive(options.secret, 'gatehouse app-password edit token v1');
    this.maxPerUser = options.maxPerUser ?? 20;
  }

  /** Validates `{name}`; the password is returned this once. */
  async create(
    user: { id: string; email: string },
    body: unknown,
  ): Promise<{ appPassword: PublicAppPassword; password: string }> {
    const input = parseInput(CreateInput, body);
    // Not atomic with the insert: two concurrent creates may both pass. The cap bounds lists.
    if ((await this.options.store.listForUser(user.id)).length >= this.maxPerUser) {
      throw new GatehouseError(
        'validation_failed',
        `You already have ${String(this.maxPerUser)} app passwords, the most allowed: revoke one first.`,
        { fields: { body: `at most ${String(this.maxPerUser)} app passwords per user` } },
      );
    }
    const password = newAppPassword(this.options.random);
    const record: AppPasswordRecord = {
      id: Buffer.from(this.options.random(ID_BYTES)).toString('hex'),
      userId: user.id,
      name: input.name,
      secretHash: sha256Hex(password),
      feverKeyHash: sha256Hex(feverApiKey(user.email, password)),
      feverLogin: user.email,
      createdAt: this.options.clock(),
      lastUsedAt: null,
      lastUsedClient: null,
      revokedAt: null,
    };
    await this.options.store.create(record);
    return { appPassword: toPublicAppPassword(record), password };
  }

  async list(userId: string): Promise<PublicAppPassword[]> {
    return (await this.options.store.listForUser(userId)).map(toPublicAppPassword);
  }

  /** false when it is not the user's, unknown or already revoked. */
  revoke(userId: string, id: string): Promise<boolean> {
    return this.options.store.revoke(userId, id, this.options.clock());
  }

  /** Revokes all of a user's app passwords (password reset, sign out everywhere, deletion). */
  revokeAll(userId: string): Promise<number> {
    return this.options.store.revokeAllForUser(userId, this.options.clock());
  }

  /**
   * Google Reader's ClientLogin: the account's email and one of its app passwords. The token
   * is what the app sends from then on (`Authorization: GoogleLogin auth=<token>`).
   */
  async signIn(
    email: string,
    typed: string,
    client: string | null,
  ): Promise<{ user: AppPasswordUser; token: string } | undefined> {
    const password = canonicalAppPassword(typed);
    if (password === undefined) return undefined;
    const record = await this.options.store.findBySecretHash(sha256Hex(password));
    const user = await this.liveOwner(record);
    // The email must be the owner's: the password alone would do, but a client that sent
    // another account's address is confused, and saying yes would hide that.
    if (record === undefined || user?.email !== email.trim().toLowerCase()) return undefined;
    return {
      user: await this.used(record, user, client),
      token: `gha_${record.id}_${this.tokenMac(record.id, record.secretHash)}`,
    };
  }

  async verifyToken(token: string, client: string | null): Promise<AppPasswordUser | undefined> {
    const match = TOKEN_SHAPE.exec(token);
    if (match === null) return undefined;
    const [, id = '', mac = ''] = match;
    const record = await this.options.store.findById(id);
    if (record === undefined) return undefined;
    if (!constantTimeEqual(Buffer.from(mac), Buffer.from(this.tokenMac(id, record.secretHash)))) return undefined;
    const user = await this.liveOwner(record);
    return user && this.used(record, user, client);
  }

  /** Fever's api_key, md5(`login:password`) in hex (any case). */
  async verifyFeverKey(apiKey: string, client: string | null): Promise<AppPasswordUser | undefined> {
    const key = apiKey.trim().toLowerCase();
    if (!FEVER_KEY_SHAPE.test(key)) return undefined;
    const record = await this.options.store.findByFeverKeyHash(sha256Hex(key));
    const user = await this.liveOwner(record);
    return record && user && this.used(record, user, client);
  }

  /** Google Reader's `T` token for POSTs: fixed per app password, useless without its token. */
  editToken(user: AppPasswordUser): string {
    return createHmac('sha256', this.editTokenKey).update(user.appPasswordId, 'utf8').digest('base64url');
  }

  checkEditToken(user: AppPasswordUser, token: string | undefined): boolean {
    if (token === undefined) return false;
    return constantTimeEqual(Buffer.from(token), Buffer.from(this.editToken(user)));
  }

  private tokenMac(id: string, secretHash: string): string {
    return createHmac('sha256', this.tokenKey).update(`${id}:${secretHash}`, 'utf8').digest('base64url');
  }

  private async liveOwner(record: AppPasswordRecord | undefined): Promise<{ id: string; email: string } | undefined> {
    if (record?.revokedAt !== null) return undefined;
    return this.options.users.findById(record.userId);
  }

  private async used(
    record: AppPasswordRecord,
    user: { id: string; email: string },
    client: string | null,
  ): Promise<AppPasswordUser> {
    const now = this.options.clock();
    const shortClient = client === null ? null : client.slice(0, CLIENT_MAX_LENGTH);
    const stale = record.lastUsedAt === null || now - record.lastUsedAt >= LAST_USED_WRITE_INTERVAL_MS;
    if (stale || shortClient !== record.lastUsedClient) {
      try {
        await this.options.store.touch(record.id, now, shortClient);
      } catch {
        // Bookkeeping only: a failed write must not turn away a password that verified.
      }
    }
    return { userId: user.id, email: user.email, appPasswordId: record.id };
  }
}

export function toPublicAppPassword(record: AppPasswordRecord): PublicAppPassword {
  return {
    id: record.id,
    name: record.name,
    feverLogin: record.feverLogin,
    createdAt: new Date(record.createdAt).toISOString(),
    lastUsedAt: record.lastUsedAt === null ? null : new Date(record.lastUsedAt).toISOString(),
    lastUsedClient: record.lastUsedClient,
  };
}

function derive(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'gatehouse', info, 32));
}
