import type { SessionRecord, TokenClient, UserRecord } from './stores/types.js';

/** What carried the credential of a request. */
export type CredentialKind =
  /** `__Host-gh_session`: an opaque server-side session. */
  | 'session'
  /** `__Host-gh_access`: an access JWT in a cookie (jwt-cookie mode). */
  | 'access-cookie'
  /** `Authorization: Bearer <access JWT>`: native apps and the memory-token SPA. */
  | 'bearer'
  /** `Authorization: Bearer ghk_…`: a user's API key for a third-party program. */
  | 'api-key';

/** The signed-in user behind a request, and how they proved it. */
export interface AuthState {
  user: UserRecord;
  credential: CredentialKind;
  /**
   * What logout and revocation act on: the session id, the token family id (`sid`), or the
   * API key id.
   */
  sessionId: string;
  /** The session record, for session cookies only. */
  session?: SessionRecord;
  /** For access tokens: which kind of client the family belongs to. */
  client?: TokenClient;
  /** For access tokens: the token's own id and expiry (ms), denied on logout. */
  accessToken?: { jti: string; expiresAt: number };
  /**
   * The CSRF secret unsafe requests must carry. Set for cookie credentials; a credential
   * sent in a header is not ambient, so it needs none.
   */
  csrfSecret?: string;
  /** undefined: all the user may do. Otherwise the credential is narrowed to these scopes. */
  scopes?: readonly string[];
}

/** Cookies ride along with every request a browser makes; headers have to be set on purpose. */
export function isAmbientCredential(kind: CredentialKind): boolean {
  return kind === 'session' || kind === 'access-cookie';
}
