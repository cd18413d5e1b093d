import { randomUUID } from 'node:crypto';
import type { AuditTrail } from './audit.js';
import type { AuthState } from './auth-state.js';
import type { Clock } from './clock.js';
import type { GatehouseConfig } from './config.js';
import type { ClientKind, Credentials, TokenResponse } from './credentials.js';
import { GatehouseError } from './errors.js';
import type { PasswordHasher } from './passwords.js';
import type { RateLimiter, RateLimits } from './rate-limit.js';
import { userAgentOf, type AuthRequest } from './request.js';
import { toPublicUser, type PublicSession, type PublicUser } from './serializers.js';
import type { UserCache } from './user-cache.js';
import { EmailTakenError, type GatehouseStores, type UserRecord, type UserStore } from './stores/types.js';
import { ChangePasswordInput, LoginInput, parseInput, SignupInput } from './validation.js';

export interface AccountFlowDeps {
  users: UserStore;
  /** One transaction around signup's writes (stores' `atomically`). */
  atomically: GatehouseStores['atomically'];
  userCache: UserCache;
  credentials: Credentials;
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
  /** Set-Cookie values: the new session or tokens, and the CSRF secret rotated to them. */
  cookies: string[];
  /** Token clients: what goes in the body (access token, and for native apps the refresh token). */
  tokens?: TokenResponse;
}

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

/** Sign-up, sign-in and password change: every flow that checks or sets a password. */
export class AccountFlows {
  constructor(private readonly deps: AccountFlowDeps) {}

  /**
   * `client`: what kind of credential to hand out. `previous`: what the browser already had;
   * it ends, replaced by the new one.
   */
  async signup(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
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
    const persistent = !this.deps.config.session.browserSessionCookie;
    // The account and its first credential are stored together or not at all: a store that
    // fails between the two must not leave an account the client was told was not made.
    const signedIn = await this.deps.atomically(async () => {
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
      return this.signIn(request, user, client, persistent, previous);
    });
    await this.deps.audit.record('signup', this.auditContext(request, user.id, signedIn.session.id, client));
    return signedIn;
  }

  async login(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
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
    const persistent = client === 'bearer' || (input.remember ?? !this.deps.config.session.browserSessionCookie);
    const signedIn = await this.signIn(request, user, client, persistent, previous);
    await this.deps.audit.record('login_succeeded', this.auditContext(request, user.id, signedIn.session.id, client));
    return signedIn;
  }

  /**
   * Changes the password after checking the current one, then ends every session and token
   * family of the user (this one too) and starts a new one of the same kind: whoever held a
   * stolen cookie or token is out, and the caller gets a fresh credential.
   */
  async changePassword(request: AuthRequest, auth: AuthState, body: unknown): Promise<SignedIn> {
    const input = parseInput(ChangePasswordInput, body);
    const { rateLimiter, rateLimits, passwords } = this.deps;
    // A stolen session must not become a password-guessing oracle.
    await this.enforce(
      request,
      await rateLimiter.consume([[rateLimits.loginPerAccountAndIp, `${auth.user.email}|${request.ip}`]]),
      auth.user.id,
    );
    // Fresh from the store: a cached user record may predate a change made elsewhere.
    const current = await this.deps.users.findById(auth.user.id);
    if (current === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    if (!(await passwords.verify(current.passwordHash, input.currentPassword))) {
      await this.deps.audit.record('login_failed', {
        ...this.auditContext(request, auth.user.id, auth.sessionId),
        reason: 'password_change_wrong_current',
      });
      throw new GatehouseError('invalid_credentials', 'The current password is incorrect.', {
        fields: { currentPassword: 'is incorrect' },
      });
    }

    const now = this.deps.clock();
    const passwordHash = await passwords.hash(input.newPassword);
    await this.deps.users.updatePasswordHash(auth.user.id, passwordHash, now);
    this.deps.userCache.evict(auth.user.id);
    await this.deps.credentials.endAll(auth.user.id, 'password_changed');
    const user = { ...current, passwordHash, updatedAt: now };
    const client: ClientKind = auth.credential === 'session' ? 'session' : (auth.client ?? 'bearer');
    const persistent = auth.session?.persistent ?? true;
    const signedIn = await this.signIn(request, user, client, persistent);
    await this.deps.audit.record('password_changed', this.auditContext(request, user.id, signedIn.session.id, client));
    return signedIn;
  }

  /**
   * Always a brand-new credential: nothing the browser held before sign-in (a planted cookie,
   * someone else's session) carries over, which is what makes session fixation impossible.
   */
  private async signIn(
    request: AuthRequest,
    user: UserRecord,
    client: ClientKind,
    persistent: boolean,
    previous?: AuthState,
  ): Promise<SignedIn> {
    // Only cookie credentials are "the browser's" to replace; an API key is not ended by a login.
    if (previous !== undefined && previous.credential !== 'api-key') {
      await this.deps.credentials.endCurrent(previous, 'replaced');
    }
    const issued = await this.deps.credentials.issue({
      userId: user.id,
      client,
      persistent,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    const signedIn: SignedIn = { user: toPublicUser(user), session: issued.session, cookies: issued.cookies };
    if (issued.tokens !== undefined) signedIn.tokens = issued.tokens;
    return signedIn;
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

  private auditContext(request: AuthRequest, userId: string, sessionId: string, client?: ClientKind) {
    return {
      userId,
      sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: client === undefined || client === 'session' ? null : client,
    };
  }
}
