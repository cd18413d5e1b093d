import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import * as templates from '../mail/templates.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { toPublicUser, type PublicUser } from '../serializers.js';
import { EmailTakenError } from '../stores/types.js';
import { emailAddress, oneTimeToken, parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { INVALID_LINK } from './invalid-link.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';
import type { SecurityNotices } from './security-notices.js';
import type { StepUp } from './step-up.js';
import { userChanged } from './user-changes.js';

const CHANGE_TTL_MS = 24 * 60 * 60 * 1000;
const RequestInput = z.object({ newEmail: emailAddress });
const ConfirmInput = z.object({ token: oneTimeToken });

/**
 * Moving an account to another address (ASVS 5.0 §6.2.x): needs a recent password (a stolen
 * session alone cannot redirect the account's mail, and with it its password resets), takes
 * effect only when the new address follows its link, and tells the old address both times.
 */
export class EmailChange {
  constructor(
    private readonly deps: AccountDeps,
    private readonly stepUp: StepUp,
    private readonly notices: SecurityNotices,
  ) {}

  /**
   * `POST /email {newEmail}`. The same 202 whether or not the new address is taken: the
   * address's owner gets a note instead of a link, so this cannot be used to probe accounts.
   */
  async request(request: AuthRequest, auth: AuthState, body: unknown): Promise<{ status: 'sent' }> {
    await this.stepUp.require(auth);
    const { newEmail } = parseInput(RequestInput, body);
    const user = await this.deps.stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    if (newEmail === user.email) {
      throw new GatehouseError('validation_failed', 'That is already your email address.', {
        fields: { newEmail: 'is already your address' },
      });
    }
    await enforceRateLimits(this.deps, request, [[this.deps.rateLimits.accountMailPerUser, user.id]], user.id);
    const { appName } = this.deps.config.accounts;
    const origin = this.deps.links.origin;
    await this.deps.stores.atomically(async () => {
      const taken = await this.deps.stores.users.findByEmail(newEmail);
      if (taken === undefined) {
        const token = await this.deps.oneTimeTokens.issue({
          userId: user.id,
          purpose: 'change_email',
          email: newEmail,
          ttlMs: CHANGE_TTL_MS,
        });
        await this.deps.mail.enqueue({
          to: newEmail,
          ...templates.emailChangeConfirm({
            appName,
            origin,
            link: this.deps.links.confirmEmailChange(token),
            newEmail,
          }),
        });
      } else {
        await this.deps.mail.enqueue({
          to: newEmail,
          ...templates.emailChangeToRegisteredAddress({ appName, origin }),
        });
      }
      await this.notices.emailChangeRequested(user.email, newEmail);
    });
    await this.deps.audit.record('email_change_requested', {
      userId: user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return { status: 'sent' };
  }

  /** `POST /email/confirm {token}`: the new address followed its link. */
  async confirm(request: AuthRequest, body: unknown): Promise<{ user: PublicUser }> {
    const input = parseInput(ConfirmInput, body);
    await enforceRateLimits(this.deps, request, [
      [this.deps.rateLimits.tokenAttemptsPerIp, ipSubject(this.deps, request)],
    ]);
    const { stores } = this.deps;
    const changed = await stores.atomically(async () => {
      const token = await this.deps.oneTimeTokens.consume(input.token, 'change_email');
      const user = token === undefined ? undefined : await stores.users.findById(token.userId);
      if (token?.email == null || user === undefined) return undefined;
      const now = this.deps.clock();
      try {
        await stores.users.updateEmail(user.id, token.email, now);
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new GatehouseError('email_taken', 'Another account now uses this address, so it cannot be yours too.');
        }
        throw error;
      }
      // Links mailed to the old address (a reset, a verification) must not work any more.
      await this.deps.oneTimeTokens.voidForUser(user.id, ['reset_password', 'verify_email', 'change_email']);
      await this.notices.emailChanged(user.email, token.email);
      return { ...user, email: token.email, emailVerifiedAt: now, updatedAt: now };
    });
    if (changed === undefined) {
      await this.deps.audit.record('one_time_token_rejected', {
        ip: request.ip,
        userAgent: userAgentOf(request),
        reason: 'change_email',
      });
      throw new GatehouseError('invalid_token', INVALID_LINK);
    }
    await userChanged(this.deps, changed.id);
    await this.deps.audit.record('email_changed', {
      userId: changed.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return { user: toPublicUser(changed) };
  }
}
