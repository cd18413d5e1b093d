import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AccountFlows, SignedIn } from '../accounts/account-flows.js';
import type { AccountDeps } from '../accounts/deps.js';
import { enforceRateLimits, ipSubject } from '../accounts/rate-limited.js';
import type { AuthState } from '../auth-state.js';
import type { ClientKind } from '../credentials.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { parseInput } from '../validation.js';
import { Factors } from './factors.js';
import { FactorAnswer, NoInput, PasskeySignInInput, PendingInput } from './inputs.js';
import { PasskeyRejected } from './passkeys.js';
import type { PendingSignIns } from './pending-sign-ins.js';

/** A completed sign-in, and the kind of client it was for (a native app's answer is its tokens). */
export interface SecondStepDone {
  signedIn: SignedIn;
  client: ClientKind;
}

/**
 * The second step of a sign-in, and signing in with a passkey alone. A pending sign-in takes
 * five wrong answers at most; a passkey sign-in needs an authenticator that verified its user.
 */
export class SecondFactorSignIn {
  constructor(
    private readonly deps: AccountDeps,
    private readonly flows: AccountFlows,
    private readonly factors: Factors,
    private readonly pending: PendingSignIns,
  ) {}

  /** `POST /login/second-factor/options`: a challenge for one of the pending user's passkeys. */
  async options(request: AuthRequest, body: unknown): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
    const pending = await this.pending.find(request, parseInput(PendingInput, body));
    if (pending === undefined) throw this.expired('expired');
    if ((await this.factors.passkeys.count(pending.userId)) === 0) {
      throw new GatehouseError('conflict', 'This account has no passkey: use a code instead.');
    }
    const options = await this.factors.passkeys.authenticationOptions({
      purpose: 'second_factor',
      userId: pending.userId,
      boundTo: pending.tokenHash,
    });
    return { options };
  }

  /** `POST /login/second-factor`: the answer completes the pending sign-in, or counts against it. */
  async complete(request: AuthRequest, body: unknown, previous?: AuthState): Promise<SecondStepDone> {
    const mfaToken = parseInput(PendingInput, body);
    const answer = parseInput(FactorAnswer, body);
    const pending = await this.pending.find(request, mfaToken);
    const user = pending === undefined ? undefined : await this.deps.stores.users.findById(pending.userId);
    if (pending === undefined || user === undefined) throw this.expired('expired');

    const ceremony = { purpose: 'second_factor' as const, userId: user.id, boundTo: pending.tokenHash };
    const outcome = await this.factors.check(request, user, answer, ceremony);
    if (!outcome.ok) {
      const { ended, attemptsLeft } = await this.pending.fail(pending);
      if (ended) throw this.expired('too_many_attempts');
      throw Factors.wrongAnswer(attemptsLeft);
    }
    // Deleting it is the lock: of two right answers racing, one signs in.
    if (!(await this.pending.finish(pending))) throw this.expired('expired');
    const signedIn = await this.flows.completeSignIn(
      request,
      user,
      pending.client,
      pending.persistent,
      { factor: true, method: outcome.method },
      previous,
    );
    if (pending.client !== 'bearer') signedIn.cookies.push(this.pending.clearCookie());
    await this.deps.audit.record('second_factor_succeeded', {
      userId: user.id,
      sessionId: signedIn.session.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: outcome.method,
    });
    return { signedIn, client: pending.client };
  }

  /** `POST /login/passkey/options`: a challenge any of this site's passkeys may answer. */
  async passkeyOptions(body: unknown): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }> {
    parseInput(NoInput, body);
    const options = await this.factors.passkeys.authenticationOptions({
      purpose: 'sign_in',
      userId: null,
      boundTo: null,
    });
    return { options };
  }

  /** `POST /login/passkey`: the passkey names its user and proves both factors itself. */
  async passkeySignIn(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn> {
    const input = parseInput(PasskeySignInInput, body);
    const { rateLimiter, rateLimits } = this.deps;
    // Failures count like wrong passwords from this address; a success gives its place back.
    const counted = await enforceRateLimits(this.deps, request, [
      [rateLimits.loginPerIp, ipSubject(this.deps, request)],
    ]);
    let userId: string;
    try {
      const verified = await this.factors.passkeys.authenticate(input.response, {
        purpose: 'sign_in',
        userId: null,
        boundTo: null,
      });
      userId = verified.passkey.userId;
    } catch (error) {
      if (!(error instanceof PasskeyRejected)) throw error;
      await this.deps.audit.record('passkey_sign_in_failed', {
        ip: request.ip,
        userAgent: userAgentOf(request),
        reason: error.message.slice(0, 100),
      });
      throw new GatehouseError('invalid_credentials', 'This passkey was not accepted: try again or use your password.');
    }
    const user = await this.deps.stores.users.findById(userId);
    if (user === undefined) throw new GatehouseError('invalid_credentials', 'This passkey was not accepted.');
    await rateLimiter.refund(counted);
    const persistent = client === 'bearer' || (input.remember ?? !this.deps.config.session.browserSessionCookie);
    const signedIn = await this.flows.completeSignIn(
      request,
      user,
      client,
      persistent,
      { factor: true, method: 'passkey' },
      previous,
    );
    await this.deps.audit.record('passkey_sign_in', {
      userId: user.id,
      sessionId: signedIn.session.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return signedIn;
  }

  private expired(reason: 'expired' | 'too_many_attempts'): GatehouseError {
    return new GatehouseError(
      'sign_in_expired',
      reason === 'too_many_attempts'
        ? 'Too many wrong codes: sign in again.'
        : 'This sign-in has expired: enter your password again.',
      { extensions: { reason }, cookies: [this.pending.clearCookie()] },
    );
  }
}
