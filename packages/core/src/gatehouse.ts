import type { Logger } from 'pino';
import { AccountFlows } from './account-flows.js';
import { AuditTrail } from './audit.js';
import { AuthCookies } from './auth-cookies.js';
import { systemClock, type Clock } from './clock.js';
import type { GatehouseConfig } from './config.js';
import { readCookies } from './cookies.js';
import {
  checkCsrfToken,
  checkRequestProvenance,
  createCsrfSecret,
  isWellFormedCsrfSecret,
  maskCsrfSecret,
  trustedOriginPredicate,
  UNSAFE_METHODS,
} from './csrf.js';
import { secureRandom, type RandomSource } from './crypto.js';
import { GatehouseError } from './errors.js';
import { createSecurityLogger } from './logger.js';
import { OWASP_ARGON2ID, PasswordHasher, type Argon2Params } from './passwords.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit.js';
import { userAgentOf, type AuthRequest } from './request.js';
import { securityHeaders } from './security-headers.js';
import { toPublicSession, toPublicUser, type PublicSession, type PublicUser } from './serializers.js';
import type { CachedSession } from './session-cache.js';
import { SessionManager } from './sessions.js';
import type { GatehouseStores } from './stores/types.js';

export interface GatehouseOptions {
  config: GatehouseConfig;
  stores: GatehouseStores;
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  rateLimits?: Partial<RateLimits>;
  passwordParams?: Argon2Params;
}

/** The signed-in user and session behind a request. */
export type AuthState = CachedSession;

export interface SessionList {
  sessions: PublicSession[];
}

/**
 * The engine, framework-free: web-standard request facts in, decisions and Set-Cookie
 * values out. Adapters (packages/hono) translate it to routes and middleware.
 */
export class Gatehouse {
  readonly config: GatehouseConfig;
  readonly stores: GatehouseStores;
  readonly cookies: AuthCookies;
  readonly sessions: SessionManager;
  readonly accounts: AccountFlows;
  readonly audit: AuditTrail;
  readonly log: Logger;
  /** Headers for every response; built once. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  private readonly random: RandomSource;
  private readonly clock: Clock;
  private readonly isTrustedOrigin: (origin: string) => boolean;

  constructor(options: GatehouseOptions) {
    const clock = options.clock ?? systemClock;
    this.config = options.config;
    this.stores = options.stores;
    this.random = options.random ?? secureRandom;
    this.clock = clock;
    this.log = options.logger ?? createSecurityLogger(options.config.logLevel);
    this.sessions = new SessionManager(
      options.stores.sessions,
      options.stores.users,
      options.config.session,
      clock,
      this.random,
    );
    this.cookies = new AuthCookies(options.config.secureCookies, this.sessions);
    this.audit = new AuditTrail(options.stores.audit, this.log, clock);
    this.accounts = new AccountFlows({
      users: options.stores.users,
      sessions: this.sessions,
      cookies: this.cookies,
      audit: this.audit,
      passwords: new PasswordHasher(options.passwordParams ?? OWASP_ARGON2ID),
      rateLimiter: new RateLimiter(options.stores.rateLimits, options.config.secret, clock),
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
      config: options.config,
      clock,
    });
    this.isTrustedOrigin = trustedOriginPredicate(options.config.trustedOrigins);
    this.responseHeaders = securityHeaders({ production: options.config.production });
  }

  /** The session the request's cookie names, if it is live. */
  authenticate(request: AuthRequest): Promise<AuthState | undefined> {
    const token = readCookies(request.headers.get('cookie'))[this.cookies.names.session];
    return this.sessions.validate(token);
  }

  /**
   * All three CSRF layers for an unsafe method; safe methods pass (they never change state).
   * Throws `csrf_failed`; the precise reason goes to the audit trail and security log only.
   */
  async verifyCsrf(request: AuthRequest, auth: AuthState | undefined): Promise<void> {
    if (!UNSAFE_METHODS.has(request.method.toUpperCase())) return;
    const expectedSecret =
      auth?.session.csrfSecret ?? readCookies(request.headers.get('cookie'))[this.cookies.names.csrf];
    const rejection =
      checkRequestProvenance(request, this.isTrustedOrigin) ??
      checkCsrfToken(request.headers.get('x-csrf-token'), expectedSecret);
    if (rejection === undefined) return;
    await this.audit.record('csrf_rejected', {
      userId: auth?.user.id,
      sessionId: auth?.session.id,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: rejection,
    });
    throw new GatehouseError(
      'csrf_failed',
      'The request failed CSRF checks: send it from a trusted origin with the X-CSRF-Token header from GET /api/auth/csrf.',
    );
  }

  /**
   * A freshly masked CSRF token. Signed in, it carries the session's secret; before sign-in,
   * the secret in the CSRF cookie (created here if absent), which protects login and signup.
   */
  csrfToken(request: AuthRequest, auth: AuthState | undefined): { csrfToken: string; cookies: string[] } {
    const cookieSecret = readCookies(request.headers.get('cookie'))[this.cookies.names.csrf];
    let secret: string;
    if (auth !== undefined) secret = auth.session.csrfSecret;
    else if (isWellFormedCsrfSecret(cookieSecret)) secret = cookieSecret;
    else secret = createCsrfSecret(this.random);
    const cookies = secret === cookieSecret ? [] : [this.cookies.csrf(secret)];
    return { csrfToken: maskCsrfSecret(secret, this.random), cookies };
  }

  me(auth: AuthState): { user: PublicUser; session: PublicSession } {
    return {
      user: toPublicUser(auth.user),
      session: toPublicSession(auth.session, this.sessions.expiresAt(auth.session), auth.session.id),
    };
  }

  async listSessions(auth: AuthState): Promise<SessionList> {
    const records = await this.sessions.list(auth.user.id);
    return {
      sessions: records.map((record) => toPublicSession(record, this.sessions.expiresAt(record), auth.session.id)),
    };
  }

  /** Ends this session on the server; the cookie alone is worthless afterwards. */
  async logout(request: AuthRequest, auth: AuthState): Promise<string[]> {
    await this.sessions.revoke(auth.user.id, auth.session.id);
    await this.audit.record('logout', this.auditContext(request, auth));
    return this.cookies.signedOut(createCsrfSecret(this.random));
  }

  /** Ends every session of the user, this one included. */
  async logoutAll(request: AuthRequest, auth: AuthState): Promise<string[]> {
    const revoked = await this.sessions.revokeAll(auth.user.id);
    await this.audit.record('logout_all', {
      ...this.auditContext(request, auth),
      reason: `revoked_${String(revoked.length)}`,
    });
    return this.cookies.signedOut(createCsrfSecret(this.random));
  }

  /**
   * Revokes one of the user's sessions by its public id. Someone else's id answers
   * `not_found`, exactly like an id that does not exist, so ids cannot be probed.
   * Revoking the current session signs out: the returned cookies clear it.
   */
  async revokeSession(request: AuthRequest, auth: AuthState, sessionId: string): Promise<string[]> {
    const revoked = await this.sessions.revoke(auth.user.id, sessionId);
    if (!revoked) throw new GatehouseError('not_found', 'No session with that id.');
    await this.audit.record('session_revoked', { ...this.auditContext(request, auth), reason: `revoked_${sessionId}` });
    return sessionId === auth.session.id ? this.cookies.signedOut(createCsrfSecret(this.random)) : [];
  }

  /** Deletes expired sessions and rate-limit windows; call it on a timer. */
  async sweepExpired(): Promise<{ sessions: number; rateLimits: number }> {
    const sessions = await this.sessions.deleteExpired();
    const rateLimits = await this.stores.rateLimits.deleteExpired(this.clock());
    return { sessions, rateLimits };
  }

  private auditContext(request: AuthRequest, auth: AuthState) {
    return { userId: auth.user.id, sessionId: auth.session.id, ip: request.ip, userAgent: userAgentOf(request) };
  }
}
