import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { Factors, type FactorMethod } from '../second-factors/factors.js';
import { AssertionInput, NoInput } from '../second-factors/inputs.js';
import type { StepUpSubject } from '../stores/types.js';
import { parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';

const password = z.string({ message: 'is required' }).min(1, 'is required').max(1024, 'is too long');
const code = z.string({ message: 'is required' }).trim().min(1, 'is required').max(64, 'is too long');

/** The password, optionally with a code; or a passkey alone (it checked its owner itself). */
const ReauthenticateInput = z.union([
  z.object({ method: z.literal('passkey'), response: AssertionInput }),
  z.object({ password, method: z.enum(['totp', 'recovery_code']), code }),
  // Strict: a body that meant to bring a factor but got it wrong must not pass as password-only.
  z.strictObject({ password }),
]);

export type StepUpDeps = Pick<
  AccountDeps,
  'stores' | 'clock' | 'config' | 'passwords' | 'audit' | 'rateLimiter' | 'rateLimits'
>;

export interface StepUpNeeds {
  /**
   * The action changes the second factors themselves (removes one, adds another, replaces the
   * recovery codes): with 2FA on, the password alone is not enough, or a phished password and
   * a stolen session could swap the owner's factor for the thief's.
   */
  factorChange?: boolean;
}

/**
 * "Sudo mode": a stolen session cookie or token can read, but cannot do what would let the
 * thief stay after the owner recovers (mint an API key, change the email, sign out
 * everywhere, delete the account, change a second factor) unless the password, and where
 * needed a second factor, was proven on that very session in the last few minutes (ASVS 5.0
 * §7.5). The stamps are read from the store on each check, so a re-authentication on one
 * instance counts on every instance at once.
 */
export class StepUp {
  constructor(
    private readonly deps: StepUpDeps,
    private readonly factors: Factors,
  ) {}

  /** Stamps a credential with what its holder just proved (sign-in, reset, step-up). */
  mark(subject: StepUpSubject, id: string, proven: { password: boolean; factor: boolean }): Promise<void> {
    return this.deps.stores.stepUps.mark(subject, id, this.deps.clock(), proven);
  }

  /** Throws `reauthentication_required` unless what this action needs was proven recently here. */
  async require(auth: AuthState, needs: StepUpNeeds = {}): Promise<void> {
    const subject = stepUpSubject(auth);
    const stamps = await this.deps.stores.stepUps.lastAt(subject, auth.sessionId);
    if (stamps === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    const methods = await this.factors.methods(auth.user.id);
    const factorNeeded =
      methods.length > 0 &&
      (needs.factorChange === true || (await this.deps.stores.users.stepUpRequiresFactor(auth.user.id)));
    if (!this.fresh(stamps.password) || (factorNeeded && !this.fresh(stamps.factor))) {
      throw reauthenticationRequired(factorNeeded, methods);
    }
  }

  /** A passkey challenge for `POST /reauthenticate {method: "passkey"}`. */
  async options(auth: AuthState, body: unknown): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
    stepUpSubject(auth);
    parseInput(NoInput, body);
    if ((await this.factors.passkeys.count(auth.user.id)) === 0) {
      throw new GatehouseError('conflict', 'This account has no passkey: confirm with the password instead.');
    }
    const options = await this.factors.passkeys.authenticationOptions({
      purpose: 'step_up',
      userId: auth.user.id,
      boundTo: auth.sessionId,
    });
    return { options };
  }

  /** `POST /reauthenticate`: renews the stamps on this session or token family. */
  async reauthenticate(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ reauthenticatedUntil: string }> {
    const subject = stepUpSubject(auth);
    const input = parseInput(ReauthenticateInput, body);
    const { rateLimits, passwords, audit, stores, clock } = this.deps;
    const user = await stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    const context = { userId: user.id, sessionId: auth.sessionId, ip: request.ip, userAgent: userAgentOf(request) };
    const ceremony = { purpose: 'step_up' as const, userId: user.id, boundTo: auth.sessionId };

    if ('password' in input) {
      const accountAndIp = `${user.email}|${ipSubject(this.deps, request)}`;
      // A stolen session must not become a password-guessing oracle: the sign-in limits apply.
      await enforceRateLimits(
        this.deps,
        request,
        [
          [rateLimits.loginPerAccountAndIp, accountAndIp],
          [rateLimits.loginPerAccount, user.email],
        ],
        user.id,
      );
      if (!(await passwords.verify(user.passwordHash, input.password))) {
        await audit.record('reauthentication_failed', context);
        throw new GatehouseError('invalid_credentials', 'The password is incorrect.', {
          fields: { password: 'is incorrect' },
        });
      }
      await this.deps.rateLimiter.reset(rateLimits.loginPerAccountAndIp, accountAndIp);
    }
    const withFactor = 'method' in input;
    if ('method' in input) {
      const outcome = await this.factors.check(request, user, input, ceremony);
      if (!outcome.ok) throw Factors.wrongAnswer();
    }
    const now = clock();
    await stores.stepUps.mark(subject, auth.sessionId, now, { password: true, factor: withFactor });
    await audit.record('reauthenticated', { ...context, reason: 'method' in input ? input.method : 'password' });
    return { reauthenticatedUntil: new Date(now + this.deps.config.accounts.reauthWindowMs).toISOString() };
  }

  private fresh(at: number | null): boolean {
    return at !== null && this.deps.clock() - at <= this.deps.config.accounts.reauthWindowMs;
  }
}

function reauthenticationRequired(factorRequired: boolean, methods: readonly FactorMethod[]): GatehouseError {
  return new GatehouseError(
    'reauthentication_required',
    factorRequired
      ? 'Confirm it is you with your password and your second factor: this action needs a recent sign-in.'
      : 'Enter your password again to continue: this action needs a recent sign-in.',
    { extensions: { factorRequired, methods: ['password', ...methods] } },
  );
}

/** What a credential's step-up is stamped on. API keys act for a program, never a person present. */
export function stepUpSubject(auth: AuthState): StepUpSubject {
  if (auth.credential === 'api-key') {
    throw new GatehouseError('forbidden', 'An API key cannot do this: sign in as the user.');
  }
  return auth.credential === 'session' ? 'session' : 'token_family';
}
