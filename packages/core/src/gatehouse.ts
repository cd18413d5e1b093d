import { join } from 'node:path';
import type { Logger } from 'pino';
import { Accounts, type AccountDeletionHook } from './accounts/index.js';
import { AppPasswordAuthentication } from './app-passwords/app-password-authentication.js';
import { AppPasswords, type AppPasswordUser, type PublicAppPassword } from './app-passwords/app-passwords.js';
import { auditPseudonym } from './accounts/account-deletion.js';
import { BackgroundWork } from './accounts/background-work.js';
import { DEFAULT_LINK_PATHS, MailLinks, type LinkPaths } from './accounts/mail-links.js';
import { OneTimeTokens } from './accounts/one-time-tokens.js';
import { warmCommonPasswords } from './accounts/password-policy.js';
import { AuditTrail } from './audit.js';
import { AuthCookies } from './auth-cookies.js';
import { isAmbientCredential, type AuthState } from './auth-state.js';
import { Authenticator } from './authenticator.js';
import { systemClock, type Clock } from './clock.js';
import type { GatehouseConfig } from './config.js';
import { pendingSignInCookieName, readCookies } from './cookies.js';
import { Credentials, type ClientKind, type TokenResponse } from './credentials.js';
import {
  checkCsrfToken,
  checkRequestProvenance,
  createCsrfSecret,
  isWellFormedCsrfSecret,
  maskCsrfSecret,
  trustedOriginPredicate,
  UNSAFE_METHODS,
  type CsrfRejection,
} from './csrf.js';
import { secureRandom, type RandomSource } from './crypto.js';
import { GatehouseError } from './errors.js';
import type { FactorMethod } from './second-factors/factors.js';
import { createSecurityLogger } from './logger.js';
import { createMailTransport } from './mail/create-mail-transport.js';
import type { MailTransport } from './mail/mail-message.js';
import { MailOutbox } from './mail/mail-outbox.js';
import { OWASP_ARGON2ID, PasswordHasher, type Argon2Params } from './passwords.js';
import { LocalPushChannel, type PushChannel } from './push-channel.js';
import { pushReceiver } from './push-receiver.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit.js';
import { userAgentOf, type AuthRequest } from './request.js';
import { securityHeaders, type ContentSources } from './security-headers.js';
import { MeBodies, toPublicFamily, toPublicSession, type PublicSession } from './serializers.js';
import { ServiceTokens } from './service-tokens.js';
import { SessionManager } from './sessions.js';
import type { GatehouseStores, TokenFamilyRecord, UserRecord } from './stores/types.js';
import { TokenFamilyCache } from './token-family-cache.js';
import { AccessTokens } from './tokens/access-tokens.js';
import { ApiKeys, type PublicApiKey } from './tokens/api-keys.js';
import { RefreshTokens } from './tokens/refresh-tokens.js';
import { RevocationList } from './tokens/revocation-list.js';
import { ServiceClients } from './tokens/service-clients.js';
import { SigningKeys } from './tokens/signing-keys.js';
import { TokenRevocation } from './tokens/token-revocation.js';
import { UserCache } from './user-cache.js';
import { RefreshInput, parseInput } from './validation.js';

/** Longer than the reader's sweep interval (10 minutes), which reloads the key ring. */
const KEY_RELOAD_SLACK_MS = 15 * 60 * 1000;

export interface GatehouseOptions {
  config: GatehouseConfig;
  stores: GatehouseStores;
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  rateLimits?: Partial<RateLimits>;
  passwordParams?: Argon2Params;
  /** Where the auth routes are mounted; the HTTP contract says /api/auth. */
  basePath?: string;
  /** The scopes users may give their API keys; default ['read', 'write']. */
  apiKeyScopes?: readonly string[];
  /** Images, media and frames the app's pages may load from other origins (the CSP). */
  contentSources?: ContentSources;
  /** The app's pages that mailed links open (the token follows `#token=`). */
  linkPaths?: Partial<LinkPaths>;
  /** How mail leaves; default from MAIL_URL (SMTP, or .eml files in the data folder). */
  mailTransport?: MailTransport;
}

export type { AuthState } from './auth-state.js';

export interface SessionList {
  sessions: PublicSession[];
}

/** `POST /token` for a user with a second factor: no tokens yet (RFC 6749-style field names). */
export interface NativeSecondFactorRequired {
  mfa_required: true;
  mfa_token: string;
  methods: FactorMethod[];
  expires_in: number;
}

/** The answer to a refresh: cookies for browser clients, body fields for the others. */
export interface Refreshed {
  cookies: string[];
  body: TokenResponse;
}

/**
 * The engine, framework-free: web-standard request facts in, decisions and Set-Cookie
 * values out. Adapters (packages/hono) translate it to routes and middleware.
 */
export class Gatehouse {
  readonly config: GatehouseConfig;
  readonly stores: GatehouseStores;
  readonly basePath: string;
  readonly cookies: AuthCookies;
  readonly sessions: SessionManager;
  readonly accounts: Accounts;
  /** The durable mail queue: verification and reset links, security notices. */
  readonly mail: MailOutbox;
  readonly audit: AuditTrail;
  readonly log: Logger;
  readonly signingKeys: SigningKeys;
  readonly accessTokens: AccessTokens;
  readonly refreshTokens: RefreshTokens;
  readonly revocations: RevocationList;
  readonly apiKeys: ApiKeys;
  /** Passwords for reader apps on the sync APIs; not a way into the auth routes. */
  readonly appPasswords: AppPasswords;
  readonly serviceClients: ServiceClients;
  readonly serviceTokens: ServiceTokens;
  readonly credentials: Credentials;
  /** Headers for every response; built once. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  private readonly authenticator: Authenticator;
  private readonly appPasswordAuthentication: AppPasswordAuthentication;
  private readonly push: PushChannel;
  private readonly tokenFamilies: TokenFamilyCache;
  private readonly tokenRevocation: TokenRevocation;
  private readonly meBodies = new MeBodies();
  private readonly random: RandomSource;
  private readonly clock: Clock;
  private readonly isTrustedOrigin: (origin: string) => boolean;
  /** Routes that check their own request provenance, or carry no ambient credential. */
  private readonly csrfExemptPaths: ReadonlySet<string>;
  private readonly secondStepPaths: ReadonlySet<string>;
  private readonly pendingCookieName: string;

  constructor(options: GatehouseOptions) {
    const { config, stores } = options;
    const clock = options.clock ?? systemClock;
    const random = options.random ?? secureRandom;
    this.config = config;
    this.stores = stores;
    this.basePath = options.basePath ?? '/api/auth';
    this.random = random;
    this.clock = clock;
    this.log = options.logger ?? createSecurityLogger(config.logLevel);
    this.audit = new AuditTrail({
      store: stores.audit,
      log: this.log,
      clock,
      retentionMs: config.auditRetentionMs,
      // A count is written up to a minute after its events: by then the account may be gone,
      // and its id must not come back into the trail it was pseudonymized out of.
      currentUserId: async (userId) =>
        (await stores.users.findById(userId)) === undefined ? auditPseudonym(config.secret, userId) : userId,
    });
    // Several instances share revocations through the stores' push channel (Redis); one alone needs none.
    this.push = stores.push ?? LocalPushChannel.singleProcess();
    this.sessions = new SessionManager(stores.sessions, stores.users, config.session, clock, random, 10_000, this.push);
    this.cookies = new AuthCookies(config.secureCookies, this.sessions, config.browserMode, this.basePath);

    const { tokens } = config;
    this.signingKeys = new SigningKeys({
      store: stores.signingKeys,
      secret: config.secret,
      algorithm: tokens.signingAlgorithm,
      rotationIntervalMs: tokens.keyRotationIntervalMs,
      // Another instance learns of a rotation only when it next reloads the ring (its sweeper
      // runs every few minutes), and may sign with the old key until then: keep verifying long
      // enough for those tokens too.
      verifyWindowMs:
        Math.max(tokens.accessTokenTtlMs, tokens.serviceTokenTtlMs) +
        tokens.clockSkewSeconds * 1000 +
        KEY_RELOAD_SLACK_MS,
      clock,
      log: this.log,
    });
    this.accessTokens = new AccessTokens({
      keys: this.signingKeys,
      issuer: tokens.issuer,
      clockSkewSeconds: tokens.clockSkewSeconds,
      clock,
      random,
    });
    this.refreshTokens = new RefreshTokens({
      store: stores.tokenFamilies,
      secret: config.secret,
      familyLifetimeMs: tokens.refreshFamilyLifetimeMs,
      graceMs: tokens.refreshGraceMs,
      clock,
      random,
    });
    this.tokenFamilies = new TokenFamilyCache(stores.tokenFamilies, clock);
    this.revocations = new RevocationList({ store: stores.revocations, clock, push: this.push });
    this.apiKeys = new ApiKeys({
      store: stores.apiKeys,
      clock,
      random,
      cacheEnabled: () => this.push.live,
      defaultLifetimeMs: config.accounts.apiKeyDefaultLifetimeMs,
      maxLifetimeMs: config.accounts.apiKeyMaxLifetimeMs,
      ...(options.apiKeyScopes ? { scopes: options.apiKeyScopes } : {}),
    });
    this.appPasswords = new AppPasswords({
      store: stores.appPasswords,
      users: stores.users,
      clock,
      random,
      secret: config.secret,
    });
    this.serviceClients = new ServiceClients({ store: stores.serviceClients, clock, random });
    this.serviceTokens = new ServiceTokens({
      clients: this.serviceClients,
      accessTokens: this.accessTokens,
      audit: this.audit,
      ttlMs: tokens.serviceTokenTtlMs,
    });
    this.credentials = new Credentials({
      config,
      sessions: this.sessions,
      refreshTokens: this.refreshTokens,
      accessTokens: this.accessTokens,
      revocations: this.revocations,
      cookies: this.cookies,
      clock,
    });
    const userCache = new UserCache(stores.users, clock);
    this.authenticator = new Authenticator({
      config,
      cookieNames: this.cookies.names,
      sessions: this.sessions,
      accessTokens: this.accessTokens,
      apiKeys: this.apiKeys,
      revocations: this.revocations,
      credentials: this.credentials,
      users: userCache,
      audit: this.audit,
    });
    this.mail = new MailOutbox({
      store: stores.mailOutbox,
      transport:
        options.mailTransport ??
        createMailTransport({
          mailUrl: config.mail.url,
          from: config.mail.from,
          outboxDir: join(config.dataDir, 'outbox'),
          log: this.log,
        }),
      secret: config.secret,
      clock,
      log: this.log,
    });
    this.accounts = new Accounts({
      config,
      stores,
      clock,
      random,
      log: this.log,
      audit: this.audit,
      credentials: this.credentials,
      sessions: this.sessions,
      cookies: this.cookies,
      apiKeys: this.apiKeys,
      appPasswords: this.appPasswords,
      revocations: this.revocations,
      userCache,
      passwords: new PasswordHasher(options.passwordParams ?? OWASP_ARGON2ID),
      rateLimiter: new RateLimiter(stores.rateLimits, config.secret, clock),
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
      mail: this.mail,
      links: new MailLinks(config.publicOrigin, { ...DEFAULT_LINK_PATHS, ...options.linkPaths }),
      oneTimeTokens: new OneTimeTokens(stores.oneTimeTokens, clock, random),
      background: new BackgroundWork(this.log),
      push: this.push,
    });
    this.push.listen(
      pushReceiver({ sessions: this.sessions, users: userCache, apiKeys: this.apiKeys, revocations: this.revocations }),
    );
    this.tokenRevocation = new TokenRevocation({
      config,
      refreshTokens: this.refreshTokens,
      accessTokens: this.accessTokens,
      credentials: this.credentials,
      audit: this.audit,
      // Stateless over the shared store: counts the same windows as the accounts' limiter.
      rateLimiter: new RateLimiter(stores.rateLimits, config.secret, clock),
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    });
    this.appPasswordAuthentication = new AppPasswordAuthentication({
      appPasswords: this.appPasswords,
      rateLimiter: new RateLimiter(stores.rateLimits, config.secret, clock),
      failuresPerIp: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }.appPasswordFailuresPerIp,
      audit: this.audit,
      ipv6RateLimitPrefix: config.ipv6RateLimitPrefix,
    });
    this.isTrustedOrigin = trustedOriginPredicate(config.trustedOrigins);
    // '/revoke' (RFC 7009) reads no cookie or Authorization header: the token is in the body.
    this.csrfExemptPaths = new Set(
      ['/token', '/service-token', '/refresh', '/revoke'].map((path) => this.basePath + path),
    );
    // The second step of a sign-in: native apps (no cookie, no CSRF token, their mfa_token in
    // the body) as for /token; a browser's, which carries the pending cookie, is checked as usual.
    this.secondStepPaths = new Set(
      ['/login/second-factor', '/login/second-factor/options'].map((path) => this.basePath + path),
    );
    this.pendingCookieName = pendingSignInCookieName(config.secureCookies);
    this.responseHeaders = securityHeaders({
      production: config.production,
      ...(options.contentSources ? { contentSources: options.contentSources } : {}),
    });
  }

  /** What a browser gets at sign-in under the configured browser mode. */
  get browserClient(): ClientKind {
    return this.config.browserMode === 'session' ? 'session' : this.config.browserMode;
  }

  /**
   * Loads signing keys and the denylist and waits for the push channel; call once before
   * serving (the first request would otherwise load them, and skip caches until it is live).
   */
  async ready(): Promise<void> {
    await Promise.all([this.signingKeys.ready(), this.revocations.ready(), this.push.ready()]);
    // The common-password list is read now, so a missing file stops the start, not a sign-up.
    warmCommonPasswords();
    // Delivers what an earlier run left queued, then retries on a timer.
    this.mail.start();
  }

  /** Stops the mail queue (waiting briefly for sends in flight); close the stores after. */
  async close(): Promise<void> {
    await this.accounts.idle();
    // Counted audit repeats live in memory until their window ends: write them before the stores go.
    await this.audit.close();
    await this.mail.close();
  }

  /** Registers the app's own cleanup for account deletion; it runs in the deletion's transaction. */
  onAccountDeletion(hook: AccountDeletionHook): void {
    this.accounts.onAccountDeletion(hook);
  }

  /**
   * False while revocations made on other instances may not reach this one (the push channel
   * is down or catching up): requests are then checked against the store, slower but never
   * open. For readiness probes and health pages; always true on a single node.
   */
  get cachesTrusted(): boolean {
    return this.push.live;
  }

  /** Who the request's credential names, if it is live. Never throws on bad input. */
  authenticate(request: AuthRequest): Promise<AuthState | undefined> {
    return this.authenticator.authenticate(request);
  }

  /**
   * CSRF for an unsafe method; safe methods pass (they never change state). A request whose
   * credential travels in a header carries nothing ambient and is not checked (its cookies
   * were not looked at). Otherwise all three layers, or in memory-token mode, where the only
   * cookie is the path-scoped refresh cookie, a strict Origin check. Throws `csrf_failed`;
   * the precise reason goes to the audit trail and security log only.
   */
  async verifyCsrf(request: AuthRequest, auth: AuthState | undefined, path: string): Promise<void> {
    if (!UNSAFE_METHODS.has(request.method.toUpperCase())) return;
    if (this.csrfExemptPaths.has(path)) return;
    if (
      this.secondStepPaths.has(path) &&
      readCookies(request.headers.get('cookie'))[this.pendingCookieName] === undefined
    ) {
      return;
    }
    if (request.headers.has('authorization')) return;
    if (auth !== undefined && !isAmbientCredential(auth.credential)) return;
    let rejection: CsrfRejection | undefined;
    if (auth === undefined && this.config.browserMode === 'memory-token') {
      rejection = this.checkOriginStrictly(request);
    } else {
      const expectedSecret = auth?.csrfSecret ?? readCookies(request.headers.get('cookie'))[this.cookies.names.csrf];
      rejection =
        checkRequestProvenance(request, this.isTrustedOrigin) ??
        checkCsrfToken(request.headers.get('x-csrf-token'), expectedSecret);
    }
    if (rejection !== undefined) await this.refuseCsrf(request, auth, rejection);
  }

  /**
   * A freshly masked CSRF token. Signed in with a cookie credential, it carries that
   * credential's secret; otherwise the secret in the CSRF cookie (created here if absent),
   * which protects login and signup.
   */
  csrfToken(request: AuthRequest, auth: AuthState | undefined): { csrfToken: string; cookies: string[] } {
    const cookieSecret = readCookies(request.headers.get('cookie'))[this.cookies.names.csrf];
    let secret: string;
    if (auth?.csrfSecret !== undefined) secret = auth.csrfSecret;
    else if (isWellFormedCsrfSecret(cookieSecret)) secret = cookieSecret;
    else secret = createCsrfSecret(this.random);
    const cookies = secret === cookieSecret ? [] : [this.cookies.csrf(secret)];
    return { csrfToken: maskCsrfSecret(secret, this.random), cookies };
  }

  /**
   * `GET /me`'s body as JSON text: the user and the credential in use, made once per record
   * (`MeBodies`). Synchronous when all it describes is in memory (a cookie session, a cached
   * token family), which spares the request two promise hops.
   */
  meJson(auth: AuthState): string | Promise<string> {
    const { session, user } = auth;
    if (session !== undefined) {
      return (
        this.meBodies.get(user, session) ??
        this.meBodies.remember(user, session, toPublicSession(session, this.sessions.expiresAt(session), session.id))
      );
    }
    const family = this.tokenFamilies.peek(auth.sessionId);
    if (family !== undefined) return this.familyMeJson(user, family);
    return this.tokenFamilies.get(auth.sessionId).then((loaded) => this.familyMeJson(user, loaded));
  }

  /** The user's cookie sessions and token families together, most recently used first. */
  async listSessions(auth: AuthState): Promise<SessionList> {
    const [sessions, families] = await Promise.all([
      this.sessions.list(auth.user.id),
      this.refreshTokens.listLive(auth.user.id),
    ]);
    const all = [
      ...sessions.map((record) => toPublicSession(record, this.sessions.expiresAt(record), auth.sessionId)),
      ...families.map((family) => toPublicFamily(family, auth.sessionId)),
    ];
    all.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
    return { sessions: all };
  }

  /** Ends this session or token family on the server; what the client holds is worthless afterwards. */
  async logout(request: AuthRequest, auth: AuthState): Promise<string[]> {
    await this.credentials.endCurrent(auth, 'logout');
    await this.audit.record('logout', this.auditContext(request, auth));
    return this.clearingCookies(auth);
  }

  /**
   * Ends every session and token family of the user, this one included, and (unless the
   * body says `keepApiKeys`) every API key. Needs a recent password.
   */
  async logoutAll(request: AuthRequest, auth: AuthState, body?: unknown): Promise<string[]> {
    await this.accounts.signOutEverywhere(request, auth, body);
    return this.clearingCookies(auth);
  }

  /** Deletes the account and everything of it (needs a recent password); the cookies clear this browser. */
  async deleteAccount(request: AuthRequest, auth: AuthState): Promise<string[]> {
    await this.accounts.deleteAccount(request, auth);
    return this.clearingCookies(auth);
  }

  /**
   * Revokes one of the user's sessions or token families by its public id. Someone else's
   * id answers `not_found`, exactly like an id that does not exist, so ids cannot be probed.
   * Revoking the current one signs out: the returned cookies clear it.
   */
  async revokeSession(request: AuthRequest, auth: AuthState, sessionId: string): Promise<string[]> {
    const current = sessionId === auth.sessionId && auth.credential !== 'api-key';
    if (current) await this.credentials.endCurrent(auth, 'revoked');
    else if (!(await this.credentials.endOne(auth.user.id, sessionId, 'revoked'))) {
      throw new GatehouseError('not_found', 'No session with that id.');
    }
    await this.audit.record('session_revoked', { ...this.auditContext(request, auth), reason: `revoked_${sessionId}` });
    return current ? this.clearingCookies(auth) : [];
  }

  /**
   * Rotates a refresh token: from the body (native apps), or from the refresh cookie
   * (browser modes), which must come from a trusted Origin. A token already rotated, after
   * the grace window, is theft: the family is revoked and its access tokens denied.
   */
  async refresh(request: AuthRequest, body: unknown): Promise<Refreshed> {
    const fromBody = body !== undefined;
    const token = fromBody
      ? parseInput(RefreshInput, body).refresh_token
      : readCookies(request.headers.get('cookie'))[this.cookies.names.refresh];
    const clearCookies = fromBody ? [] : this.cookies.signedOut(createCsrfSecret(this.random));
    if (token === undefined) {
      throw new GatehouseError('unauthenticated', 'No refresh token: sign in again.', { cookies: clearCookies });
    }
    if (!fromBody) {
      const rejection = this.checkOriginStrictly(request);
      if (rejection !== undefined) await this.refuseCsrf(request, undefined, rejection);
    }

    const outcome = await this.refreshTokens.rotate(token);
    const context = { ip: request.ip, userAgent: userAgentOf(request) };
    if (outcome.outcome === 'invalid') {
      await this.audit.record('token_rejected', { ...context, reason: `refresh:${outcome.reason}` });
      throw new GatehouseError('unauthenticated', 'The refresh token is not valid: sign in again.', {
        cookies: clearCookies,
      });
    }
    if (outcome.outcome === 'reused') {
      await this.credentials.denyFamily(outcome.family.id);
      await this.audit.record('refresh_reused', {
        ...context,
        userId: outcome.family.userId,
        sessionId: outcome.family.id,
        reason: `generation_${String(outcome.family.generation)}`,
      });
      throw new GatehouseError(
        'token_reused',
        'This refresh token was already used. Every token of this sign-in has been revoked: sign in again.',
        { cookies: clearCookies },
      );
    }
    const { family } = outcome;
    this.tokenFamilies.set(family);
    // A cookie family's token arriving in a body (or the reverse) has left the place it was
    // issued to: treat it as stolen.
    if ((family.client === 'bearer') !== fromBody) {
      await this.credentials.endFamily(family.userId, family.id, 'wrong_client');
      await this.audit.record('token_rejected', {
        ...context,
        userId: family.userId,
        sessionId: family.id,
        reason: 'refresh:wrong_client',
      });
      throw new GatehouseError('unauthenticated', 'The refresh token is not valid: sign in again.', {
        cookies: clearCookies,
      });
    }
    const issued = await this.credentials.tokensFor(family, outcome.token);
    return { cookies: issued.cookies, body: issued.tokens ?? { expires_in: 0 } };
  }

  /**
   * `POST /revoke` (RFC 7009): ends a refresh token's family, or denies one access token.
   * Unknown tokens succeed silently (§2.2); bad bodies are `validation_failed`.
   */
  revokeToken(request: AuthRequest, body: unknown): Promise<void> {
    return this.tokenRevocation.revoke(request, body);
  }

  /**
   * `POST /token`: a native app signs in and gets both tokens in the body, or, when the user
   * has a second factor, an `mfa_token` to complete with `POST /login/second-factor`.
   */
  async tokenLogin(request: AuthRequest, body: unknown): Promise<TokenResponse | NativeSecondFactorRequired> {
    const outcome = await this.accounts.login(request, body, 'bearer');
    if ('mfaRequired' in outcome) {
      return {
        mfa_required: true,
        mfa_token: outcome.mfaToken,
        methods: outcome.methods,
        expires_in: Math.round((Date.parse(outcome.expiresAt) - this.clock()) / 1000),
      };
    }
    if (outcome.tokens === undefined) throw new Error('bearer sign-in issued no tokens');
    return outcome.tokens;
  }

  /** Needs a recent password; the owner is told by mail. */
  createApiKey(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ apiKey: PublicApiKey; secret: string }> {
    return this.accounts.createApiKey(request, auth, body);
  }

  listApiKeys(auth: AuthState): Promise<PublicApiKey[]> {
    return this.apiKeys.list(auth.user.id);
  }

  /** Revoked at once: evicted from this process's cache and denied for every instance. */
  async revokeApiKey(request: AuthRequest, auth: AuthState, id: string): Promise<void> {
    const key = await this.stores.apiKeys.findById(id);
    if (key?.userId !== auth.user.id || !(await this.apiKeys.revoke(auth.user.id, id))) {
      throw new GatehouseError('not_found', 'No API key with that id.');
    }
    const oneYear = 365 * 24 * 60 * 60 * 1000;
    await this.revocations.deny('api_key', id, key.expiresAt ?? this.clock() + oneYear);
    await this.audit.record('api_key_revoked', { ...this.auditContext(request, auth), reason: id });
  }

  /** The public half of every key that may have signed a live token. */
  /** `POST /app-passwords {name}`: step-up (with the factor when 2FA is on); the password is shown once. */
  createAppPassword(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ appPassword: PublicAppPassword; password: string }> {
    return this.accounts.appPasswords.create(request, auth, body);
  }

  listAppPasswords(auth: AuthState): Promise<PublicAppPassword[]> {
    return this.appPasswords.list(auth.user.id);
  }

  /** `DELETE /app-passwords/:id`: refused by every instance from the next request on. */
  revokeAppPassword(request: AuthRequest, auth: AuthState, id: string): Promise<void> {
    return this.accounts.appPasswords.revoke(request, auth, id);
  }

  /**
   * A reader app signs in (Google Reader's ClientLogin) with the account's email and an app
   * password — never the account password. Throws `invalid_credentials` or `rate_limited`.
   */
  appPasswordSignIn(
    request: AuthRequest,
    email: string,
    password: string,
  ): Promise<{ user: AppPasswordUser; token: string }> {
    return this.appPasswordAuthentication.signIn(request, email, password);
  }

  /** The token `appPasswordSignIn` gave, presented as `Authorization: GoogleLogin auth=…`. */
  authenticateAppToken(request: AuthRequest, token: string): Promise<AppPasswordUser | undefined> {
    return this.appPasswordAuthentication.token(request, token);
  }

  /** Fever's `api_key`: md5 of `feverLogin:app-password`. */
  authenticateFeverKey(request: AuthRequest, apiKey: string): Promise<AppPasswordUser | undefined> {
    return this.appPasswordAuthentication.feverKey(request, apiKey);
  }

  /** Google Reader's `T` token, which every POST of the sync API must carry. */
  appEditToken(user: AppPasswordUser): string {
    return this.appPasswords.editToken(user);
  }

  checkAppEditToken(user: AppPasswordUser, token: string | undefined): boolean {
    return this.appPasswords.checkEditToken(user, token);
  }

  jwks(): ReturnType<SigningKeys['jwks']> {
    return this.signingKeys.jwks();
  }

  /** On command: a new key signs from now on; the old one verifies until its tokens expire. */
  async rotateSigningKey(): Promise<string> {
    const kid = await this.signingKeys.rotate();
    await this.audit.record('signing_key_rotated', { reason: kid });
    return kid;
  }

  /**
   * Housekeeping; call it on a timer. Deletes expired sessions, rate-limit windows, token
   * families and denylist entries, rotates the signing key when it is due and drops keys
   * whose tokens have all expired; writes the audit counts of ended windows and deletes
   * audit rows past GATEHOUSE_AUDIT_RETENTION.
   */
  async sweepExpired(): Promise<{
    sessions: number;
    rateLimits: number;
    tokenFamilies: number;
    revocations: number;
    signingKeys: number;
    rotated: boolean;
    auditEvents: number;
  }> {
    const sessions = await this.sessions.deleteExpired();
    const rateLimits = await this.stores.rateLimits.deleteExpired(this.clock());
    const tokenFamilies = await this.refreshTokens.deleteExpired();
    const revocations = await this.revocations.deleteExpired();
    await this.stores.oneTimeTokens.deleteExpired(this.clock());
    await this.accounts.deleteExpiredSecondFactorState();
    const keys = await this.signingKeys.maintain();
    if (keys.rotated) await this.audit.record('signing_key_rotated', { reason: 'scheduled' });
    const auditEvents = await this.audit.sweep();
    return {
      sessions,
      rateLimits,
      tokenFamilies,
      revocations,
      signingKeys: keys.deleted,
      rotated: keys.rotated,
      auditEvents,
    };
  }

  private familyMeJson(user: UserRecord, family: TokenFamilyRecord | undefined): string {
    // Revocation was checked on this request against the denylist; the cache serves the rest.
    if (family?.revokedAt !== null) {
      throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    }
    return this.meBodies.get(user, family) ?? this.meBodies.remember(user, family, toPublicFamily(family, family.id));
  }

  /** Cookies to send when a browser's credential ends; native clients hold no cookies. */
  private clearingCookies(auth: AuthState): string[] {
    const holdsCookies = isAmbientCredential(auth.credential) || auth.client === 'memory-token';
    return holdsCookies ? this.cookies.signedOut(createCsrfSecret(this.random)) : [];
  }

  /**
   * For requests that may come from another site on purpose (the memory-token SPA) and for
   * the refresh cookie: the Origin header must be present and one we trust. Browsers send it
   * on every cross-origin request and on every POST.
   */
  private checkOriginStrictly(request: AuthRequest): CsrfRejection | undefined {
    const origin = request.headers.get('origin');
    if (origin === null) return 'origin_missing';
    if (origin === 'null') return 'origin_null';
    return this.isTrustedOrigin(origin) ? undefined : 'origin_untrusted';
  }

  private async refuseCsrf(request: AuthRequest, auth: AuthState | undefined, reason: CsrfRejection): Promise<never> {
    await this.audit.record('csrf_rejected', {
      userId: auth?.user.id,
      sessionId: auth?.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason,
    });
    throw new GatehouseError(
      'csrf_failed',
      'The request failed CSRF checks: send it from a trusted origin with the X-CSRF-Token header from GET /api/auth/csrf.',
    );
  }

  private auditContext(request: AuthRequest, auth: AuthState) {
    return { userId: auth.user.id, sessionId: auth.sessionId, ip: request.ip, userAgent: userAgentOf(request) };
  }
}
