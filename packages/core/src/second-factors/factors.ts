import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { SecurityNotices } from '../accounts/security-notices.js';
import type { AccountDeps } from '../accounts/deps.js';
import { enforceRateLimits } from '../accounts/rate-limited.js';
import type { FactorAnswer } from './inputs.js';
import { PasskeyRejected, type Ceremony, type Passkeys } from './passkeys.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { TotpFactor } from './totp.js';

export type FactorMethod = 'totp' | 'passkey' | 'recovery_code';

export type FactorDeps = Pick<AccountDeps, 'rateLimiter' | 'rateLimits' | 'audit'>;

/** The outcome of one answer: right, or wrong (counted against the attempt by the caller). */
export type FactorOutcome = { ok: true; method: FactorMethod; userVerified: boolean } | { ok: false };

/**
 * What a user has enrolled, and the one place an answer to "prove it is you" is checked, at
 * sign-in and at step-up alike: a TOTP code (once per code), a recovery code (once per
 * code), or a passkey assertion for a single-use challenge. Guessable answers count against
 * an account-wide window, so a guesser spreading attempts over many pending sign-ins and
 * addresses still gets ten tries per fifteen minutes; a passkey cannot be guessed, so it is
 * never held back by that window and its owner is never locked out.
 */
export class Factors {
  constructor(
    private readonly deps: FactorDeps,
    readonly totp: TotpFactor,
    readonly recoveryCodes: RecoveryCodes,
    readonly passkeys: Passkeys,
    private readonly notices: SecurityNotices,
  ) {}

  /** The ways this user can answer a second-factor challenge; empty: no second factor. */
  async methods(userId: string): Promise<FactorMethod[]> {
    const [totp, passkeys] = await Promise.all([this.totp.isEnabled(userId), this.passkeys.count(userId)]);
    if (!totp && passkeys === 0) return [];
    const methods: FactorMethod[] = [];
    if (totp) methods.push('totp');
    if (passkeys > 0) methods.push('passkey');
    methods.push('recovery_code');
    return methods;
  }

  async hasFactor(userId: string): Promise<boolean> {
    return (await this.methods(userId)).length > 0;
  }

  async check(
    request: AuthRequest,
    user: { id: string; email: string },
    answer: FactorAnswer,
    ceremony: Ceremony,
  ): Promise<FactorOutcome> {
    if (answer.method === 'passkey') {
      try {
        const { userVerified } = await this.passkeys.authenticate(answer.response, { ...ceremony, userId: user.id });
        return { ok: true, method: 'passkey', userVerified };
      } catch (error) {
        if (!(error instanceof PasskeyRejected)) throw error;
        await this.audit(request, user.id, 'second_factor_failed', `passkey:${error.message}`);
        return { ok: false };
      }
    }
    const { rateLimiter, rateLimits } = this.deps;
    // Counted before the check, so parallel guesses cannot slip past; a right answer gives its place back.
    const counted = await enforceRateLimits(
      this.deps,
      request,
      [[rateLimits.secondFactorPerAccount, user.id]],
      user.id,
    );
    const ok =
      answer.method === 'totp'
        ? await this.totp.verify(user.id, answer.code)
        : await this.recoveryCodes.consume(user.id, answer.code);
    if (!ok) {
      await this.audit(request, user.id, 'second_factor_failed', answer.method);
      return { ok: false };
    }
    await rateLimiter.refund(counted);
    if (answer.method === 'recovery_code') {
      const remaining = await this.recoveryCodes.remaining(user.id);
      await this.audit(request, user.id, 'recovery_code_used', `remaining:${String(remaining)}`);
      await this.notices.secondFactorChanged(user.email, request, { kind: 'recovery_code_used', remaining });
    }
    return { ok: true, method: answer.method, userVerified: false };
  }

  /** The answer the client sees for a wrong one. */
  static wrongAnswer(attemptsLeft?: number): GatehouseError {
    return new GatehouseError('invalid_second_factor', 'The code is incorrect.', {
      ...(attemptsLeft === undefined ? {} : { extensions: { attemptsLeft } }),
    });
  }

  private audit(
    request: AuthRequest,
    userId: string,
    event: 'second_factor_failed' | 'recovery_code_used',
    reason: string,
  ) {
    return this.deps.audit.record(event, { userId, ip: request.ip, userAgent: userAgentOf(request), reason });
  }
}
