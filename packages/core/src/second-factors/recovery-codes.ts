import { hmacHex, type RandomSource } from '../crypto.js';
import type { Clock } from '../clock.js';
import type { RecoveryCodeStore } from '../stores/types.js';

const CODE_COUNT = 10;
/** RFC 4648 base32 in lowercase: no 0/1/8/9, so no O-or-0, l-or-1 confusion when typed. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const CODE_CHARS = 10; // 50 bits each: never guessed within the second step's limits

/**
 * Ten single-use codes for when the phone is lost. Shown once; only an HMAC of each is kept
 * (keyed with GATEHOUSE_SECRET: a leaked table is not even a list to try offline).
 */
export class RecoveryCodes {
  constructor(
    private readonly store: RecoveryCodeStore,
    private readonly secret: string,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** A fresh set; every earlier code stops working. */
  async generate(userId: string): Promise<string[]> {
    const codes = Array.from({ length: CODE_COUNT }, () => this.newCode());
    await this.store.replace(
      userId,
      codes.map((code) => this.hash(code)),
      this.clock(),
    );
    return codes;
  }

  /** True once per code. Case, spaces and dashes are ignored: people copy them by hand. */
  async consume(userId: string, code: string): Promise<boolean> {
    const normalized = normalize(code);
    if (normalized.length !== CODE_CHARS) return false;
    return this.store.consume(userId, this.hash(normalized), this.clock());
  }

  remaining(userId: string): Promise<number> {
    return this.store.remaining(userId);
  }

  deleteAll(userId: string): Promise<void> {
    return this.store.deleteAll(userId);
  }

  private newCode(): string {
    // Rejection-free: 32 symbols divide 256, so taking 5 bits of each byte is uniform.
    const bytes = this.random(CODE_CHARS);
    const chars = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  }

  private hash(code: string): string {
    return hmacHex(this.secret, `recovery-code:${normalize(code)}`);
  }
}

function normalize(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}
