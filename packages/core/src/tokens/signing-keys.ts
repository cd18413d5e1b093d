import type { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SigningAlgorithm, SigningKeyRecord, SigningKeyStore } from '../stores/types.js';
import { ALLOWED_ALGORITHMS, KID_SHAPE } from './jwt-checks.js';
import {
  generateSigningKey,
  importPrivateKey,
  importPublicKey,
  jwkThumbprint,
  publicMembers,
  sameKeyPair,
  type PublicJwk,
} from './key-material.js';
import { deriveKeyEncryptionKey, openPrivateJwk, sealPrivateJwk } from './private-key-encryption.js';

/** A flood of tokens with made-up kids costs at most one store read per this interval. */
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 5_000;

export interface SigningKeysOptions {
  store: SigningKeyStore;
  /** GATEHOUSE_SECRET: private keys are encrypted at rest under a key derived from it. */
  secret: string;
  algorithm: SigningAlgorithm;
  /** The active key signs for this long, then `maintain()` rotates. */
  rotationIntervalMs: number;
  /** Longest lifetime of anything we sign, plus clock skew: how long a retired key still verifies. */
  verifyWindowMs: number;
  clock: Clock;
  log: Logger;
}

export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
}

export interface VerificationKey {
  kid: string;
  alg: SigningAlgorithm;
  publicKey: CryptoKey;
}

interface RingKey {
  kid: string;
  alg: SigningAlgorithm;
  createdAt: number;
  retiredAt: number | null;
  verifyUntil: number | null;
  publicJwk: PublicJwk;
  publicKey: CryptoKey;
  /** Undefined when the sealed private key does not open (GATEHOUSE_SECRET changed): verify-only. */
  privateKey: CryptoKey | undefined;
}

/** Newest first, kid as the tie-break: the order every instance computes the same way. */
function byNewest(a: RingKey, b: RingKey): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.kid === b.kid) return 0;
  return a.kid < b.kid ? 1 : -1;
}

function canSign(key: RingKey | undefined): key is RingKey & { privateKey: CryptoKey } {
  return key?.privateKey !== undefined && key.retiredAt === null;
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`SigningKeys: ${name} must be a positive number`);
}

/**
 * The key ring: one active key signs, retired keys verify until the last token they signed
 * has expired. Keys live in the store (private halves encrypted), so restarts and other
 * instances share them.
 */
export class SigningKeys {
  private readonly store: SigningKeyStore;
  private readonly algorithm: SigningAlgorithm;
  private readonly rotationIntervalMs: number;
  private readonly verifyWindowMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly encryptionKey: Uint8Array;

  /** Newest first. */
  private ring: RingKey[] = [];
  private readiness: Promise<void> | undefined;
  private lastUnknownKidReloadAt = Number.NEGATIVE_INFINITY;
  /** Ring changes run one at a time, so a slow reload never overwrites a newer ring. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SigningKeysOptions) {
    if (!ALLOWED_ALGORITHMS.includes(options.algorithm)) {
      throw new TypeError('SigningKeys: algorithm must be EdDSA or ES256');
    }
    requirePositive('rotationIntervalMs', options.rotationIntervalMs);
    requirePositive('verifyWindowMs', options.verifyWindowMs);
    this.store = options.store;
    this.algorithm = options.algorithm;
    this.rotationIntervalMs = options.rotationIntervalMs;
    this.verifyWindowMs = options.verifyWindowMs;
    this.clock = options.clock;
    this.log = options.log;
    this.encryptionKey = deriveKeyEncryptionKey(options.secret);
  }

  /** Loads the ring from the store, creating the first key when there is none. Memoized. */
  ready(): Promise<void> {
    this.readiness ??= this.exclusive(() => this.reload()).catch((error: unknown) => {
      // A store outage at start-up must not poison every later call.
      this.readiness = undefined;
      throw error;
    });
    return this.readiness;
  }

  /** The key that signs now. */
  async signingKey(): Promise<ActiveSigningKey> {
    await this.ready();
    const newest = this.ring[0];
    if (!canSign(newest)) throw new Error('SigningKeys: no key can sign (the store changed under us)');
    return { kid: newest.kid, alg: newest.alg, privateKey: newest.privateKey };
  }

  /**
   * One of our own public keys by `kid`, or undefined. An unknown kid reloads the ring from
   * the store (another instance may have rotated), at most once every few seconds.
   */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    // Only ever a lookup among our own keys: a kid is never a path, URL or query to follow.
    if (typeof kid !== 'string' || !KID_SHAPE.test(kid)) return undefined;
    await this.ready();
    const known = this.liveKey(kid);
    if (known !== undefined || this.ring.some((key) => key.kid === kid)) return known;

    const now = this.clock();
    if (now - this.lastUnknownKidReloadAt < UNKNOWN_KID_RELOAD_INTERVAL_MS) return undefined;
    this.lastUnknownKidReloadAt = now;
    await this.exclusive(() => this.reload());
    return this.liveKey(kid);
  }

  /** The public keys for `/.well-known/jwks.json`: active and still-verifying retired keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.ready();
    const now = this.clock();
    const keys = this.ring
      .filter((key) => key.verifyUntil === null || key.verifyUntil > now)
      .map((key): JWK => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' }));
    return { keys };
  }

  /** A new key signs from now on; the old one verifies until its tokens have expired. Returns the new kid. */
  async rotate(): Promise<string> {
    await this.ready();
    return this.exclusive(async () => {
      const kid = await this.createKey();
      await this.reload();
      return kid;
    });
  }

  /** Rotates when the active key is older than the interval; drops keys past their verify window. */
  async maintain(): Promise<{ rotated: boolean; deleted: number }> {
    await this.ready();
    return this.exclusive(async () => {
      const deleted = await this.store.deleteExpired(this.clock());
      await this.reload();
      const signer = this.ring[0];
      if (signer === undefined || this.clock() - signer.createdAt < this.rotationIntervalMs) {
        return { rotated: false, deleted };
      }
      await this.createKey();
      await this.reload();
      return { rotated: true, deleted };
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private liveKey(kid: string): VerificationKey | undefined {
    const key = this.ring.find((candidate) => candidate.kid === kid);
    // Past verifyUntil a key is dead even before maintain() deletes its row.
    if (key === undefined || (key.verifyUntil !== null && key.verifyUntil <= this.clock())) return undefined;
    return { kid: key.kid, alg: key.alg, publicKey: key.publicKey };
  }

  /**
   * Reads the ring from the store. The newest key signs, on every instance alike; when it
   * cannot (its private half no longer opens, or two concurrent rotations retired each
   * other's key) a fresh key takes over rather than signing with a key whose verify window
   * is already counting down.
   */
  private async reload(): Promise<void> {
    let ring = await this.readRing();
    if (!canSign(ring[0])) {
      await this.createKey(ring[0]);
      ring = await this.readRing();
    }
    this.ring = ring;
  }

  private async readRing(): Promise<RingKey[]> {
    const records = await this.store.list(this.clock());
    const ring: RingKey[] = [];
    for (const record of records) {
      const known = this.ring.find((key) => key.kid === record.kid && key.createdAt === record.createdAt);
      // Keys already opened keep their material; only retirement can change in the store.
      const key = known
        ? { ...known, retiredAt: record.retiredAt, verifyUntil: record.verifyUntil }
        : await this.openRecord(record);
      if (key !== undefined) ring.push(key);
    }
    return ring.sort(byNewest);
  }

  private async openRecord(record: SigningKeyRecord): Promise<RingKey | undefined> {
    let publicJwk: PublicJwk;
    let publicKey: CryptoKey;
    try {
      publicJwk = publicMembers(JSON.parse(record.publicJwk) as Record<string, unknown>);
      // A row whose kid is not its key's thumbprint was not written by us: ignore it.
      if ((await jwkThumbprint(publicJwk)) !== record.kid) throw new Error('kid is not the key thumbprint');
      publicKey = await importPublicKey(publicJwk, record.alg);
    } catch (error) {
      this.log.error({ kid: record.kid, err: errorName(error) }, 'signing key row is unreadable; ignoring it');
      return undefined;
    }
    let privateKey: CryptoKey | undefined;
    try {
      const privateJwk = await openPrivateJwk(record.kid, record.privateJwe, this.encryptionKey);
      if (!sameKeyPair(publicJwk, privateJwk)) throw new Error('private key does not match');
      privateKey = await importPrivateKey(privateJwk, record.alg);
    } catch (error) {
      this.log.error(
        { kid: record.kid, err: errorName(error) },
        'signing key cannot be decrypted (GATEHOUSE_SECRET changed?); it only verifies now',
      );
    }
    return {
      kid: record.kid,
      alg: record.alg,
      createdAt: record.createdAt,
      retiredAt: record.retiredAt,
      verifyUntil: record.verifyUntil,
      publicJwk,
      publicKey,
      privateKey,
    };
  }

  /** Creates, stores and activates a key; every other active key retires. Returns its kid. */
  private async createKey(newestKnown?: RingKey): Promise<string> {
    // Strictly newer than every key we know, so a rotation within one millisecond of the
    // last still makes the new key the newest.
    const newest = newestKnown ?? this.ring[0];
    const now = this.clock();
    const createdAt = newest === undefined ? now : Math.max(now, newest.createdAt + 1);
    const generated = await generateSigningKey(this.algorithm);
    await this.store.create({
      kid: generated.kid,
      alg: this.algorithm,
      publicJwk: JSON.stringify(generated.publicJwk),
      privateJwe: await sealPrivateJwk(generated.kid, generated.privateJwk, this.encryptionKey),
      createdAt,
      retiredAt: null,
      verifyUntil: null,
    });
    const retired = await this.store.retireActive(generated.kid, now, now + this.verifyWindowMs);
    this.log.info({ kid: generated.kid, retired }, 'new signing key is active');
    return generated.kid;
  }
}

/** Only the error's class name reaches the log: messages may quote key material. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
