import { createHmac, hkdfSync } from 'node:crypto';
import type { AuthCookies } from './auth-cookies.js';
import type { AuthState } from './auth-state.js';
import type { Clock } from './clock.js';
import type { GatehouseConfig } from './config.js';
import { toPublicFamily, toPublicSession, type PublicSession } from './serializers.js';
import type { SessionManager } from './sessions.js';
import type { TokenClient, TokenFamilyRecord } from './stores/types.js';
import type { AccessTokens } from './tokens/access-tokens.js';
import type { RefreshTokens } from './tokens/refresh-tokens.js';
import type { RevocationList } from './tokens/revocation-list.js';

/** What a sign-in hands out: a cookie session, or a token family for one kind of client. */
export type ClientKind = 'session' | TokenClient;

/** The token part of a response body (RFC 6749 §5.1 field names). */
export interface TokenResponse {
  access_token?: string;
  token_type?: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  refresh_token?: string;
}

export interface IssuedCredential {
  session: PublicSession;
  /** Set-Cookie values (browser modes). */
  cookies: string[];
  /** Body fields (memory-token and bearer clients; jwt-cookie gets only `expires_in`). */
  tokens?: TokenResponse;
}

export interface CredentialsDeps {
  config: GatehouseConfig;
  sessions: SessionManager;
  refreshTokens: RefreshTokens;
  accessTokens: AccessTokens;
  revocations: RevocationList;
  cookies: AuthCookies;
  clock: Clock;
}

export interface IssueInput {
  userId: string;
  client: ClientKind;
  persistent: boolean;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Issues and ends credentials of every kind, so that sign-in, refresh, logout and
 * revocation behave the same whichever kind a client holds. Ending a token family also
 * denies its access tokens at once (by `sid`) until they would have expired anyway.
 */
export class Credentials {
  private readonly csrfKey: Buffer;

  constructor(private readonly deps: CredentialsDeps) {
    this.csrfKey = Buffer.from(hkdfSync('sha256', deps.config.secret, 'gatehouse', 'gatehouse family-csrf v1', 32));
  }

  async issue(input: IssueInput): Promise<IssuedCredential> {
    const { sessions, refreshTokens } = this.deps;
    if (input.client === 'session') {
      const { token, session } = await sessions.create(input);
      return {
        session: toPublicSession(session, sessions.expiresAt(session), session.id),
        cookies: this.deps.cookies.signedIn(token, session),
      };
    }
    const { token, family } = await refreshTokens.start({ ...input, client: input.client });
    return this.tokensFor(family, token);
  }

  /**
   * The response for a family and its newest refresh token: a new access token, delivered
   * the way this kind of client receives them.
   */
  async tokensFor(family: TokenFamilyRecord, refreshToken: string): Promise<IssuedCredential> {
    const { config, accessTokens, cookies } = this.deps;
    const ttlMs = config.tokens.accessTokenTtlMs;
    const access = await accessTokens.issue({
      subject: family.userId,
      sid: family.id,
      audience: config.tokens.audience,
      clientId: family.client,
      ttlMs,
    });
    const expiresIn = Math.floor(ttlMs / 1000);
    const session = toPublicFamily(family, family.id);
    const refreshMaxAgeSeconds = family.persistent
      ? Math.floor((family.absoluteExpiresAt - this.deps.clock()) / 1000)
      : undefined;
    switch (family.client) {
      case 'jwt-cookie':
        return {
          session,
          cookies: cookies.tokensIssued({
            accessToken: { token: access.token, maxAgeSeconds: expiresIn },
            refreshToken,
            refreshMaxAgeSeconds,
            csrfSecret: this.csrfSecretFor(family.id),
          }),
          tokens: { expires_in: expiresIn },
        };
      case 'memory-token':
        return {
          session,
          cookies: cookies.tokensIssued({ refreshToken, refreshMaxAgeSeconds }),
          tokens: { access_token: access.token, token_type: 'Bearer', expires_in: expiresIn },
        };
      case 'bearer':
        return {
          session,
          cookies: [],
          tokens: {
            access_token: access.token,
            token_type: 'Bearer',
            expires_in: expiresIn,
            refresh_token: refreshToken,
          },
        };
    }
  }

  /**
   * The CSRF secret of a token family, derived rather than stored: checking it needs no
   * lookup, and without GATEHOUSE_SECRET a family id (which the sessions list shows) gives
   * nothing away.
   */
  csrfSecretFor(familyId: string): string {
    return createHmac('sha256', this.csrfKey).update(familyId, 'utf8').digest('base64url');
  }

  /** Ends the credential a request came with (not API keys: those are revoked on their own). */
  async endCurrent(auth: AuthState, reason: string): Promise<void> {
    if (auth.credential === 'session') {
      await this.deps.sessions.revoke(auth.user.id, auth.sessionId);
    } else if (auth.credential === 'access-cookie' || auth.credential === 'bearer') {
      await this.endFamily(auth.user.id, auth.sessionId, reason);
      // The family may have been revoked already (another tab): its tokens are denied anyway,
      // because the sid came from a token we verified, so it is certainly this user's.
      await this.denyFamily(auth.sessionId);
      if (auth.accessToken !== undefined) await this.denyAccessToken(auth.accessToken.jti);
    }
  }

  /** Ends one of the user's sessions or token families by its public id. */
  async endOne(userId: string, id: string, reason: string): Promise<boolean> {
    if (await this.deps.sessions.revoke(userId, id)) return true;
    return this.endFamily(userId, id, reason);
  }

  /** Ends every session and token family of the user; returns how many. */
  async endAll(userId: string, reason: string): Promise<number> {
    const sessions = await this.deps.sessions.revokeAll(userId);
    const families = await this.deps.refreshTokens.revokeAll(userId, reason);
    for (const familyId of families) await this.denyFamily(familyId);
    return sessions.length + families.length;
  }

  /** Ends a family: its refresh tokens stop working and its access tokens are denied now. */
  async endFamily(userId: string, familyId: string, reason: string): Promise<boolean> {
    const revoked = await this.deps.refreshTokens.revoke(userId, familyId, reason);
    // Only a family this user owned: denying someone else's sid would sign them out.
    if (revoked) await this.denyFamily(familyId);
    return revoked;
  }

  /** The family was revoked elsewhere (reuse detection): deny its access tokens. */
  async denyFamily(familyId: string): Promise<void> {
    await this.deps.revocations.deny('sid', familyId, this.accessTokenDenialEnd());
  }

  /** One access token denied until it would have expired anyway (logout, RFC 7009 revocation). */
  async denyAccessToken(jti: string): Promise<void> {
    await this.deps.revocations.deny('jti', jti, this.accessTokenDenialEnd());
  }

  /** No access token issued before now outlives this, clock skew included. */
  private accessTokenDenialEnd(): number {
    const { accessTokenTtlMs, clockSkewSeconds } = this.deps.config.tokens;
    return this.deps.clock() + accessTokenTtlMs + clockSkewSeconds * 1000;
  }
}
