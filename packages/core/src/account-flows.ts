import { randomUUID } from 'node:crypto';
import type { AuditTrail } from './audit.js';
import type { AuthCookies } from './auth-cookies.js';
import type { Clock } from './clock.js';
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import type { PasswordHasher } from './passwords.js';
import type { RateLimiter, RateLimits } from './rate-limit.js';
import { userAgentOf, type AuthRequest } from './request.js';
import { toPublicSession, toPublicUser, type PublicSession, type PublicUser } from './serializers.js';
import type { CachedSession } from './session-cache.js';
import type { SessionManager } from './sessions.js';
import { EmailTakenError, type UserRecord, type UserStore } from './stores/types.js';
import { ChangePasswordInput, LoginInput, parseInput, SignupInput } from './validation.js';

export interface AccountFlowDeps {
  users: UserStore;
  sessions: SessionManager;
  cookies: AuthCookies;
  audit: AuditTrail;
  passwords: PasswordHasher;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  config: GatehouseConfig;
  clock: Clock;
}

export interface SignedIn {
  user: PublicUser;
  session: PublicSession;
  /** Set-Cookie values: the new session, and the CSRF secret rotated to it. */
  cookies: string[];
}

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

/** Sign-up, sign-in and password change: every flow that checks or sets a password. */
export class AccountFlows {
  constructor(private readonly deps: AccountFlowDeps) {}

  /** `previous`: a session the browser already had; it ends, replaced by the new one. */
  async signup(request: AuthRequest, body: unknown, previous?: CachedSession): Promise<SignedIn> {
    const input = parseInput(SignupInput, body);
    const { rateLimiter, rateLimits } = this.deps;
    await this.enforce(request, await rateLimiter.consume([[rateLimits.signupPerIp, request.ip]]));

    const now = this.deps.clock();
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash: await this.deps.passwords.hash(input.password),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.users.create(user);
    } catch (error) {
      // Signup necessarily reveals that an address is registered; the per-IP limit above
      // keeps that from being an efficient way to enumerate accounts.
      if (error instanceof EmailTakenError) {
        throw new GatehouseError('email_taken', 'An account with this email already exists. Sign in instead.');
      }
      throw error;
    }
    const signedIn = await this.startSession(request, user, !this.deps.config.session.browserSessionCookie, previous);
    await this.deps.audit.record('signup', this.auditContext(request, user.id, signedIn.session.id));
    return signedIn;
  }

  async login(request: AuthRequest, body: unknown, previous?: CachedSession): Promise<SignedIn> {
    const input = parseInput(LoginInput, body);
    const { rateLimiter, rateLimits, passwords } = this.deps;
    // Counted before the password is checked, so parallel guesses cannot slip past.
    await this.enforce(
      request,
      await rateLimiter.consume([
        [rateLimits.loginPerIp, request.ip],
        [rateLimits.loginPerAccountAndIp, `${input.email}|${request.ip}`],
        [rateLimits.loginPerAccount, input.email],
      ]),
    );

    const user = await this.deps.users.findByEmail(input.email);
    // An unknown email costs the same argon2 verification as a wrong password and gets
    // the same answer, so neither the body nor the timing tells which accounts exist.
    const valid =
      user === undefined
        ? await passwords.verifyDummy(input.password)
        : await passwords.verify(user.passwordHash, input.password);
    if (user === undefined || !valid) {
      await this.deps.audit.record('login_failed', {
        userId: user?.id,
        ip: request.ip,
        userAgent: userAgentOf(request),
        reason: user === undefined ? 'unknown_email' : 'wrong_password',
      });
      throw new GatehouseError('invalid_credentials', INVALID_CREDENTIALS);
    }

    // The owner got in: their account's failure counts start over.
    await rateLimiter.reset(rateLimits.loginPerAccountAndIp, `${input.email}|${request.ip}`);
    await rateLimiter.reset(rateLimits.loginPerAccount, input.email);
    if (passwords.needsRehash(user.passwordHash)) {
      await this.deps.users.updatePasswordHash(user.id, await passwords.hash(input.password), this.deps.clock());
    }
    const persistent = input.remember ?? !this.deps.config.session.browserSessionCookie;
    const signedIn = await this.startSession(request, user, persistent, previous);
    await this.deps.audit.record('login_succeeded', this.auditContext(request, user.id, signedIn.session.id));
    return signedIn;
  }

  /**
   * Changes the password after checking the current one, then ends every session of the
   * user (this one too) and starts a new one: whoever held a stolen cookie is out, and the
   * caller gets a fresh session id.
   */
  async changePassword(request: AuthRequest, auth: CachedSession, body: unknown): Promise<SignedIn> {
    const input = parseInput(ChangePasswordInput, body);
    const { rateLimiter, rateLimits, passwords } = this.deps;
    // A stolen session must not become a password-guessing oracle.
    await this.enforce(
      request,
      await rateLimiter.consume([[rateLimits.loginPerAccountAndIp, `${auth.user.email}|${request.ip}`]]),
      auth.user.id,
    );
    if (!(await passwords.verify(auth.user.passwordHash, input.currentPassword))) {
      await this.deps.audit.record('login_failed', {
        ...this.auditContext(request, auth.user.id, auth.session.id),
        reason: 'password_change_wrong_current',
      });
      throw new GatehouseError('invalid_credentials', 'The current password is incorrect.', {
        fields: { currentPassword: 'is incorrect' },
      });
    }

    const now = this.deps.clock();
    const passwordHash = await passwords.hash(input.newPassword);
    await this.deps.users.updatePasswordHash(auth.user.id, passwordHash, now);
    await this.deps.sessions.revokeAll(auth.user.id);
    const user = { ...auth.user, passwordHash, updatedAt: now };
    const signedIn = await this.startSession(request, user, auth.session.persistent);
    await this.deps.audit.record('password_changed', this.auditContext(request, user.id, signedIn.session.id));
    return signedIn;
  }

  /**
   * Always a brand-new session: nothing the browser held before sign-in (a planted cookie,
   * someone else's session) carries over, which is what makes session fixation impossible.
   */
  private async startSession(
    request: AuthRequest,
    user: UserRecord,
    persistent: boolean,
    previous?: CachedSession,
  ): Promise<SignedIn> {
    if (previous !== undefined) await this.deps.sessions.revoke(previous.user.id, previous.session.id);
    const { token, session } = await this.deps.sessions.create({
      userId: user.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
      persistent,
    });
    return {
      user: toPublicUser(user),
      session: toPublicSession(session, this.deps.sessions.expiresAt(session), session.id),
      cookies: this.deps.cookies.signedIn(token, session),
    };
  }

  private async enforce(
    request: AuthRequest,
    decision: Awaited<ReturnType<RateLimiter['consume']>>,
    userId?: string,
  ): Promise<void> {
    if (decision.allowed) return;
    await this.deps.audit.record('rate_limited', {
      userId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: decision.rule.name,
    });
    throw new GatehouseError(
      'rate_limited',
      `Too many attempts. Try again in ${String(decision.retryAfterSeconds)} seconds.`,
      { retryAfterSeconds: decision.retryAfterSeconds },
    );
  }

  private auditContext(request: AuthRequest, userId: string, sessionId: string) {
    return { userId, sessionId, ip: request.ip, userAgent: userAgentOf(request) };
  }
}
