import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import type { ClientKind } from '../credentials.js';
import { GatehouseError } from '../errors.js';
import * as templates from '../mail/templates.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { emailAddress, newPassword, oneTimeToken, parseInput } from '../validation.js';
import type { AccountFlows, SecondFactorRequired, SignedIn } from './account-flows.js';
import type { AccountDeps } from './deps.js';
import { INVALID_LINK } from './invalid-link.js';
import { assertAcceptablePassword } from './new-password.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';
import { revokeEverything } from './revoke-everything.js';
import type { SecurityNotices } from './security-notices.js';
import { userChanged } from './user-changes.js';

const RESET_TTL_MS = 30 * 60 * 1000;
const RequestInput = z.object({ email: emailAddress });
const CheckInput = z.object({ token: oneTimeToken });
const ConfirmInput = z.object({ token: oneTimeToken, newPassword });

export const RESET_REQUESTED =
  'If an account uses that address, a link to reset its password is on its way. The link works for 30 minutes.';

/**
 * Forgotten password (ASVS 5.0 §6.4.1–6.4.3). Asking always gets the same 202 body, and the
 * account is looked up only after the answer has gone, so neither body nor timing tells whether
 * an address is registered. The mailed token is 256-bit, stored hashed, single-use, valid 30
 * minutes, and void once a newer one is asked for or the password changes. Using it sets the
 * password, ends every session, token family and API key, and signs in this browser alone.
 */
export class PasswordReset {
  constructor(
    private readonly deps: AccountDeps,
    private readonly flows: AccountFlows,
    private readonly notices: SecurityNotices,
  ) {}

  async request(request: AuthRequest, body: unknown): Promise<{ status: 'sent'; detail: string }> {
    const { email } = parseInput(RequestInput, body);
    const { rateLimits } = this.deps;
    await enforceRateLimits(this.deps, request, [
      [rateLimits.passwordResetPerIp, ipSubject(this.deps, request)],
      [rateLimits.passwordResetPerEmail, email],
    ]);
    const context = { ip: request.ip, userAgent: userAgentOf(request) };
    this.deps.background.run('password reset', () => this.mailLink(email, context));
    return { status: 'sent', detail: RESET_REQUESTED };
  }

  /** `POST /password-reset/check`: lets the reset page say "expired" before the user types anything. */
  async check(request: AuthRequest, body: unknown): Promise<{ valid: true; expiresAt: string }> {
    const { token } = parseInput(CheckInput, body);
    await enforceRateLimits(this.deps, request, [
      [this.deps.rateLimits.tokenAttemptsPerIp, ipSubject(this.deps, request)],
    ]);
    const record = await this.deps.oneTimeTokens.peek(token, 'reset_password');
    if (record === undefined) return this.refuse(request, undefined);
    return { valid: true, expiresAt: new Date(record.expiresAt).toISOString() };
  }

  async confirm(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn | SecondFactorRequired> {
    const input = parseInput(ConfirmInput, body);
    await enforceRateLimits(this.deps, request, [
      [this.deps.rateLimits.tokenAttemptsPerIp, ipSubject(this.deps, request)],
    ]);
    const { stores, oneTimeTokens, passwords, config } = this.deps;
    // Look before using it up: a password the policy refuses must not burn the link.
    const peeked = await oneTimeTokens.peek(input.token, 'reset_password');
    const owner = peeked === undefined ? undefined : await stores.users.findById(peeked.userId);
    if (peeked === undefined || owner === undefined) return this.refuse(request, undefined);
    assertAcceptablePassword(
      input.newPassword,
      { email: owner.email, name: owner.name, appName: config.accounts.appName },
      'newPassword',
    );
    const passwordHash = await passwords.hash(input.newPassword);

    const signedIn = await stores.atomically(async () => {
      // Consumed inside the transaction: of two requests racing with one link, one wins.
      const token = await oneTimeTokens.consume(input.token, 'reset_password');
      const user = token === undefined ? undefined : await stores.users.findById(token.userId);
      if (token === undefined || user === undefined) return this.refuse(request, owner.id);
      const now = this.deps.clock();
      await stores.users.updatePasswordHash(user.id, passwordHash, now);
      // The reset link reached this address: it is the user's.
      if (user.emailVerifiedAt === null && token.email === user.email) {
        await stores.users.markEmailVerified(user.id, now);
      }
      await oneTimeTokens.voidForUser(user.id, ['reset_password']);
      await revokeEverything(this.deps, user.id, 'password_reset', { keepApiKeys: false });
      await userChanged(this.deps, user.id);
      const updated = {
        ...user,
        passwordHash,
        updatedAt: now,
        emailVerifiedAt: user.emailVerifiedAt ?? (token.email === user.email ? now : null),
      };
      // Whatever this browser held before (a session of someone else, say) is ended too.
      const persistent = client === 'bearer' || !config.session.browserSessionCookie;
      await this.notices.passwordWasReset(user.email, request);
      // With a second factor, the link proves the mailbox, not the person: the factor still decides.
      const pending = await this.flows.secondFactorRequired(user.id, client, persistent);
      return pending ?? (await this.flows.signIn(request, updated, client, persistent, previous));
    });
    await this.deps.audit.record('password_reset', {
      userId: owner.id,
      sessionId: 'session' in signedIn ? signedIn.session.id : null,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return signedIn;
  }

  private async mailLink(email: string, context: { ip: string; userAgent: string | null }): Promise<void> {
    const user = await this.deps.stores.users.findByEmail(email);
    await this.deps.audit.record('password_reset_requested', {
      userId: user?.id,
      ...context,
      reason: user === undefined ? 'unknown_email' : null,
    });
    if (user === undefined) return;
    const token = await this.deps.oneTimeTokens.issue({
      userId: user.id,
      purpose: 'reset_password',
      email: user.email,
      ttlMs: RESET_TTL_MS,
    });
    await this.deps.mail.enqueue({
      to: user.email,
      ...templates.passwordReset({
        appName: this.deps.config.accounts.appName,
        origin: this.deps.links.origin,
        link: this.deps.links.resetPassword(token),
        expiresInMinutes: RESET_TTL_MS / 60_000,
      }),
    });
  }

  private async refuse(request: AuthRequest, userId: string | undefined): Promise<never> {
    await this.deps.audit.record('one_time_token_rejected', {
      userId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: 'reset_password',
    });
    throw new GatehouseError('invalid_token', INVALID_LINK);
  }
}
