import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../clock.js';
import type { TotpStore } from '../stores/types.js';
import { SealedSecrets } from './sealed-secret.js';

/** RFC 6238 as every authenticator app expects it: SHA-1, 6 digits, 30 seconds. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: a phone clock a little off, or a code typed as it rolled over. */
const SKEW_STEPS = 1;
const SECRET_BYTES = 20; // 160 bits, RFC 4226 §4's recommendation
const CODE_SHAPE = /^[0-9]{6}$/;

export interface TotpSetup {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** The otpauth:// URI a QR code carries. */
  uri: string;
}

/** Time-based one-time codes: setup, switching on after a first valid code, and checking. */
export class TotpFactor {
  private readonly sealed: SealedSecrets;

  constructor(
    private readonly store: TotpStore,
    secret: string,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {
    this.sealed = new SealedSecrets(secret);
  }

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.store.find(userId))?.enabledAt != null;
  }

  async enabledAt(userId: string): Promise<number | null> {
    return (await this.store.find(userId))?.enabledAt ?? null;
  }

  /** A new secret waiting for its first code; false when TOTP is already on. */
  async begin(userId: string, label: string): Promise<TotpSetup | undefined> {
    const secret = new Secret({ size: SECRET_BYTES });
    const saved = await this.store.savePending({
      userId,
      sealedSecret: await this.sealed.seal(userId, secret.base32),
      createdAt: this.clock(),
      enabledAt: null,
      lastUsedStep: null,
    });
    if (!saved) return undefined;
    return { secret: secret.base32, uri: this.totp(secret, label).toString() };
  }

  /** `pending`: there is a setup waiting; `enabled`: it is on now; `wrong`: the code did not match. */
  async enable(userId: string, code: string): Promise<'enabled' | 'wrong' | 'no_setup'> {
    const record = await this.store.find(userId);
    if (record?.enabledAt !== null) return 'no_setup';
    const step = await this.matchingStep(userId, record.sealedSecret, code);
    if (step === undefined) return 'wrong';
    return (await this.store.useStep(userId, step, this.clock())) ? 'enabled' : 'wrong';
  }

  /** True once per code: a replay of an accepted code (or an older one) is refused. */
  async verify(userId: string, code: string): Promise<boolean> {
    const record = await this.store.find(userId);
    if (record?.enabledAt == null) return false;
    const step = await this.matchingStep(userId, record.sealedSecret, code);
    return step !== undefined && (await this.store.useStep(userId, step));
  }

  disable(userId: string): Promise<boolean> {
    return this.store.delete(userId);
  }

  private async matchingStep(userId: string, sealedSecret: string, code: string): Promise<number | undefined> {
    const candidate = code.replace(/\s/g, '');
    if (!CODE_SHAPE.test(candidate)) return undefined;
    const secret = Secret.fromBase32(await this.sealed.open(userId, sealedSecret));
    const totp = this.totp(secret, '');
    const timestamp = this.clock();
    const delta = totp.validate({ token: candidate, timestamp, window: SKEW_STEPS });
    if (delta === null) return undefined;
    return totp.counter({ timestamp }) + delta;
  }

  private totp(secret: Secret, label: string): TOTP {
    return new TOTP({ issuer: this.issuer, label, secret, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS });
  }
}
