import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). Hashing runs
 * on libuv's thread pool, so a login storm does not stall the event loop.
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

/** A reason the password is unacceptable, or undefined. Length counts code points. */
export function passwordPolicyProblem(password: string): string | undefined {
  // NIST counts each Unicode code point as one character; that is what spreading gives.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const length = [...normalizePassword(password)].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${String(PASSWORD_MIN_LENGTH)} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${String(PASSWORD_MAX_LENGTH)} characters`;
  return undefined;
}

export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly params: Argon2Params = OWASP_ARGON2ID) {}

  hash(password: string): Promise<string> {
    return hash(normalizePassword(password), { ...this.params, algorithm: ARGON2ID });
  }

  /** false for a wrong password and for a hash we cannot parse; never throws on input. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, normalizePassword(password));
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
