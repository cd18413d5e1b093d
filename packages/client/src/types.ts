/** How the server keeps a browser signed in (`GATEHOUSE_BROWSER_MODE`). */
export type AuthMode = 'session' | 'jwt-cookie' | 'memory-token';

export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
}

export interface Session {
  id: string;
  /** A cookie session, or a token family and the kind of client holding it. */
  kind: AuthMode | 'bearer';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface SignedIn {
  user: User;
  session: Session;
}

/**
 * Why this tab is no longer signed in:
 * - `expired`: the server stopped accepting the credential (it expired, or was revoked from
 *   another device: the server answers both the same way);
 * - `revoked`: the server revoked the whole sign-in because a refresh token was used twice;
 * - `other-tab`: the user signed out in another tab of this site;
 * - `signed-out`: this tab signed out.
 */
export type SignedOutReason = 'expired' | 'revoked' | 'other-tab' | 'signed-out';

export interface SignedOutEvent {
  reason: SignedOutReason;
}
