import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { StepUpSubject } from '../stores/types.js';
import { parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';

const ReauthenticateInput = z.object({
  password: z.string({ message: 'is required' }).min(1, 'is required').max(1024, 'is too long'),
});

export type StepUpDeps = Pick<
  AccountDeps,
  'stores' | 'clock' | 'config' | 'passwords' | 'audit' | 'rateLimiter' | 'rateLimits'
>;

/**
 * "Sudo mode": a stolen session cookie or token can read, but cannot do what would let the
 * thief stay after the owner recovers (mint an API key, change the email, sign out
 * everywhere, delete the account) unless the password was entered on that very session in
 * the last few minutes (ASVS 5.0 §7.5). The stamp is read from the store on each check, so a
 * re-authentication on one instance counts on every instance at once.
 */
export class StepUp {
  constructor(private readonly deps: StepUpDeps) {}

  /** Stamps a credential: its holder just entered the password (sign-in, reset, step-up). */
  mark(subject: StepUpSubject, id: string): Promise<void> {
    return this.deps.stores.stepUps.mark(subject, id, this.deps.clock());
  }

  /** Throws `reauthentication_required` unless the password was entered recently on this credential. */
  async require(auth: AuthState): Promise<void> {
    const subject = stepUpSubject(auth);
    const at = await this.deps.stores.stepUps.lastAt(subject, auth.sessionId);
    if (at === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    if (at === null || this.deps.clock() - at > this.deps.config.accounts.reauthWindowMs) {
      throw new GatehouseError(
        'reauthentication_required',
        'Enter your password again to continue: this action needs a recent sign-in.',
      );
    }
  }

  /** `POST /reauthenticate {password}`: renews the stamp on this session or token family. */
  async reauthenticate(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ reauthenticatedUntil: string }> {
    const subject = stepUpSubject(auth);
    const input = parseInput(ReauthenticateInput, body);
    const { rateLimits, passwords, audit, stores, clock } = this.deps;
    const accountAndIp = `${auth.user.email}|${ipSubject(this.deps, request)}`;
    // A stolen session must not become a password-guessing oracle: the sign-in limits apply.
    await enforceRateLimits(
      this.deps,
      request,
      [
        [rateLimits.loginPerAccountAndIp, accountAndIp],
        [rateLimits.loginPerAccount, auth.user.email],
      ],
      auth.user.id,
    );
    const user = await stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    const context = { userId: user.id, sessionId: auth.sessionId, ip: request.ip, userAgent: userAgentOf(request) };
    if (!(await passwords.verify(user.passwordHash, input.password))) {
      await audit.record('reauthentication_failed', context);
      throw new GatehouseError('invalid_credentials', 'The password is incorrect.', {
        fields: { password: 'is incorrect' },
      });
    }
    await this.deps.rateLimiter.reset(rateLimits.loginPerAccountAndIp, accountAndIp);
    const now = clock();
    await stores.stepUps.mark(subject, auth.sessionId, now);
    await audit.record('reauthenticated', context);
    return { reauthenticatedUntil: new Date(now + this.deps.config.accounts.reauthWindowMs).toISOString() };
  }
}

/** What a credential's step-up is stamped on. API keys act for a program, never a person present. */
export function stepUpSubject(auth: AuthState): StepUpSubject {
  if (auth.credential === 'api-key') {
    throw new GatehouseError('forbidden', 'An API key cannot do this: sign in as the user.');
  }
  return auth.credential === 'session' ? 'session' : 'token_family';
}
