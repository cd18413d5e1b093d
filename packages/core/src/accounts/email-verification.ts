import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import * as templates from '../mail/templates.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { toPublicUser, type PublicUser } from '../serializers.js';
import type { UserRecord } from '../stores/types.js';
import { oneTimeToken, parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { INVALID_LINK } from './invalid-link.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';
import { userChanged } from './user-changes.js';

const VERIFY_TTL_MS = 24 * 60 * 60 * 1000;
const VerifyEmailInput = z.object({ token: oneTimeToken });

/**
 * Proving the address is the user's (ASVS 5.0 §6.4): a link with a single-use token, mailed
 * at sign-up and on request, valid for a day. Following it sets `emailVerified`.
 */
export class EmailVerification {
  constructor(private readonly deps: AccountDeps) {}

  /** Mails a fresh link to the user's address; earlier links stop working. */
  async send(user: UserRecord): Promise<void> {
    const token = await this.deps.oneTimeTokens.issue({
      userId: user.id,
      purpose: 'verify_email',
      email: user.email,
      ttlMs: VERIFY_TTL_MS,
    });
    await this.deps.mail.enqueue({
      to: user.email,
      ...templates.verifyEmail({
        appName: this.deps.config.accounts.appName,
        origin: this.deps.links.origin,
        link: this.deps.links.verifyEmail(token),
        expiresInHours: VERIFY_TTL_MS / 3_600_000,
      }),
    });
  }

  /** `POST /verify-email/send`: another link, rate-limited per user. */
  async resend(request: AuthRequest, auth: AuthState): Promise<{ status: 'sent' | 'already_verified' }> {
    const user = await this.deps.stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    if (user.emailVerifiedAt !== null) return { status: 'already_verified' };
    await enforceRateLimits(this.deps, request, [[this.deps.rateLimits.accountMailPerUser, user.id]], user.id);
    await this.send(user);
    await this.deps.audit.record('email_verification_sent', {
      userId: user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return { status: 'sent' };
  }

  /** `POST /verify-email {token}`: works signed in or not (the link may open in another browser). */
  async confirm(request: AuthRequest, body: unknown): Promise<{ user: PublicUser }> {
    const input = parseInput(VerifyEmailInput, body);
    await enforceRateLimits(this.deps, request, [
      [this.deps.rateLimits.tokenAttemptsPerIp, ipSubject(this.deps, request)],
    ]);
    const token = await this.deps.oneTimeTokens.consume(input.token, 'verify_email');
    const user = token === undefined ? undefined : await this.deps.stores.users.findById(token.userId);
    // A link for an address the user has since changed verifies nothing.
    if (user === undefined || token?.email !== user.email) {
      await this.deps.audit.record('one_time_token_rejected', {
        userId: user?.id,
        ip: request.ip,
        userAgent: userAgentOf(request),
        reason: 'verify_email',
      });
      throw new GatehouseError('invalid_token', INVALID_LINK);
    }
    const now = this.deps.clock();
    if (user.emailVerifiedAt === null) {
      await this.deps.stores.users.markEmailVerified(user.id, now);
      await userChanged(this.deps, user.id);
    }
    await this.deps.audit.record('email_verified', {
      userId: user.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    return { user: toPublicUser({ ...user, emailVerifiedAt: user.emailVerifiedAt ?? now }) };
  }
}
