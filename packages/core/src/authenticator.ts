import type { AuditTrail } from './audit.js';
import type { AuthState } from './auth-state.js';
import type { GatehouseConfig } from './config.js';
import { readCookies, type CookieNames } from './cookies.js';
import type { Credentials } from './credentials.js';
import { userAgentOf, type AuthRequest } from './request.js';
import type { SessionManager } from './sessions.js';
import type { TokenClient } from './stores/types.js';
import type { AccessTokens } from './tokens/access-tokens.js';
import { ApiKeys } from './tokens/api-keys.js';
import type { RevocationList } from './tokens/revocation-list.js';
import type { UserCache } from './user-cache.js';

export interface AuthenticatorDeps {
  config: GatehouseConfig;
  cookieNames: CookieNames;
  sessions: SessionManager;
  accessTokens: AccessTokens;
  apiKeys: ApiKeys;
  revocations: RevocationList;
  credentials: Credentials;
  users: UserCache;
  audit: AuditTrail;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const TOKEN_CLIENTS: ReadonlySet<string> = new Set<TokenClient>(['jwt-cookie', 'memory-token', 'bearer']);

/**
 * One answer to "who is this?" for every kind of credential. An `Authorization` header,
 * when present, is the only thing looked at: a request that chose a header credential never
 * falls back to cookies, which is what lets CSRF checks skip it. Otherwise the access cookie,
 * then the session cookie. The common case reads no store: sessions, verified tokens, API
 * keys and users are cached in process, and the denylist is in memory. While the push
 * channel is down, sessions, API keys and the denylist are read from the store instead.
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(request: AuthRequest): Promise<AuthState | undefined> {
    const authorization = request.headers.get('authorization');
    if (authorization !== null) {
      const token = BEARER.exec(authorization)?.[1];
      // Other schemes (Basic, for the service-token endpoint) authenticate no user.
      if (token === undefined) return undefined;
      return ApiKeys.looksLikeApiKey(token)
        ? this.fromApiKey(request, token)
        : this.fromAccessToken(request, token, 'bearer');
    }
    const cookies = readCookies(request.headers.get('cookie'));
    const accessCookie = cookies[this.deps.cookieNames.access];
    if (accessCookie !== undefined) {
      const auth = await this.fromAccessToken(request, accessCookie, 'access-cookie');
      if (auth !== undefined) return auth;
    }
    const sessionToken = cookies[this.deps.cookieNames.session];
    if (sessionToken === undefined) return undefined;
    const entry = await this.deps.sessions.validate(sessionToken);
    if (entry === undefined) return undefined;
    return {
      user: entry.user,
      credential: 'session',
      sessionId: entry.session.id,
      session: entry.session,
      csrfSecret: entry.session.csrfSecret,
    };
  }

  private async fromAccessToken(
    request: AuthRequest,
    token: string,
    credential: 'bearer' | 'access-cookie',
  ): Promise<AuthState | undefined> {
    const { accessTokens, revocations, config } = this.deps;
    const verified = await accessTokens.verify(token, config.tokens.audience);
    if (!verified.ok) return this.reject(request, credential, verified.reason);
    const { claims } = verified;
    // Service tokens carry no sid: they are for other services, not for signing a user in here.
    if (claims.sid === undefined || !TOKEN_CLIENTS.has(claims.client_id)) {
      return this.reject(request, credential, 'not_a_user_token');
    }
    if ((await revocations.isRevoked('sid', claims.sid)) || (await revocations.isRevoked('jti', claims.jti))) {
      return this.reject(request, credential, 'revoked', claims.sid, await this.existingUserId(claims.sub));
    }
    const user = await this.deps.users.get(claims.sub);
    if (user === undefined) return this.reject(request, credential, 'unknown_user', claims.sid);
    const auth: AuthState = {
      user,
      credential,
      sessionId: claims.sid,
      client: claims.client_id as TokenClient,
      accessToken: { jti: claims.jti, expiresAt: claims.exp * 1000 },
    };
    if (credential === 'access-cookie') {
      // An HMAC, derived on first read: only unsafe methods and /csrf ever read it, and it
      // was a tenth of the cost of an access-cookie GET.
      const { credentials } = this.deps;
      const familyId = claims.sid;
      let csrfSecret: string | undefined;
      Object.defineProperty(auth, 'csrfSecret', {
        get: () => (csrfSecret ??= credentials.csrfSecretFor(familyId)),
        enumerable: true,
      });
    }
    if (claims.scope !== undefined) auth.scopes = claims.scope.split(' ');
    return auth;
  }

  private async fromApiKey(request: AuthRequest, presented: string): Promise<AuthState | undefined> {
    const verified = await this.deps.apiKeys.verify(presented);
    if (!verified.ok) return this.reject(request, 'api-key', verified.reason);
    const { key } = verified;
    if (await this.deps.revocations.isRevoked('api_key', key.id)) {
      return this.reject(request, 'api-key', 'revoked', key.id, await this.existingUserId(key.userId));
    }
    const user = await this.deps.users.get(key.userId);
    if (user === undefined) return this.reject(request, 'api-key', 'unknown_user', key.id);
    return { user, credential: 'api-key', sessionId: key.id, scopes: key.scopes };
  }

  /**
   * The user a revoked credential named, for the audit trail, if the account still exists: a
   * deleted account's id must not come back into the trail it was pseudonymized out of.
   */
  private async existingUserId(userId: string): Promise<string | undefined> {
    return (await this.deps.users.get(userId))?.id;
  }

  /** A presented credential that failed: logged and audited with the precise reason, then ignored. */
  private async reject(
    request: AuthRequest,
    credential: string,
    reason: string,
    sessionId?: string,
    userId?: string,
  ): Promise<undefined> {
    await this.deps.audit.record('token_rejected', {
      userId,
      sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: `${credential}:${reason}`,
    });
    return undefined;
  }
}
