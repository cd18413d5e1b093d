import { availableParallelism } from 'node:os';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). Hashing runs
 * on libuv's thread pool, and at most one hash per core but one at a time (see
 * `HashSlots`), so a login storm neither stalls the event loop nor starves it of CPU.
 */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// @node-rs/argon2's Algorithm is a const enum, whose values `verbatimModuleSyntax` cannot
// import; 2 is Argon2id.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const ARGON2ID = 2 as Algorithm;
const PHC_PARAMS = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

/** NIST SP 800-63B: length only, no composition rules; compatibility-normalized Unicode. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * How many argon2 computations may run at once. Each one keeps a core busy for tens of
 * milliseconds; with as many running as there are cores (libuv's pool has four threads),
 * a login storm took the event loop's core too and doubled every other request's p99.
 * One core stays free for the event loop; logins beyond that wait their turn in order.
 */
class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, or is freed.
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}

export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;
  private readonly slots: HashSlots;

  constructor(
    private readonly params: Argon2Params = OWASP_ARGON2ID,
    concurrency = Math.max(1, availableParallelism() - 1),
  ) {
    this.slots = new HashSlots(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => hash(normalizePassword(password), { ...this.params, algorithm: ARGON2ID }));
  }

  /** false for a wrong password and for a hash we cannot parse; never throws on input. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await this.slots.run(() => verify(passwordHash, normalizePassword(password)));
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification and always fails. Used when the email is
   * unknown, so response time does not reveal which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('gatehouse-dummy-password');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** true when the stored hash was made with other parameters than today's. */
  needsRehash(passwordHash: string): boolean {
    const match = PHC_PARAMS.exec(passwordHash);
    if (match === null) return true;
    const [, m, t, p] = match;
    return (
      Number(m) !== this.params.memoryCost ||
      Number(t) !== this.params.timeCost ||
      Number(p) !== this.params.parallelism
    );
  }
}
