import type { AuthClientError } from './errors.js';

/** How the server keeps a browser signed in (`GATEHOUSE_BROWSER_MODE`). */
export type AuthMode = 'session' | 'jwt-cookie' | 'memory-token';

export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
  /** Whether the user opened the link sent to `email`. */
  emailVerified: boolean;
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
 * - `signed-out`: this tab signed out;
 * - `deleted`: the account was deleted (in this tab or another).
 */
export type SignedOutReason = 'expired' | 'revoked' | 'other-tab' | 'signed-out' | 'deleted';

export interface SignedOutEvent {
  reason: SignedOutReason;
}

/** An API key as its owner sees it: never the secret. */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key (`ghk_1a2b3c4d`), to recognise it in a list. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  /** null: it never expires (only where the operator allows that). */
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A new key: `secret` is shown this once and never again. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/** The server's verdict on a password before it is submitted; the submit is still judged on its own. */
export interface PasswordCheck {
  acceptable: boolean;
  code?: 'too_short' | 'too_long' | 'common' | 'context';
  /** Why not, in a sentence for the user. */
  message?: string;
}

/** What `onReauthenticationRequired` is told: the try (1, 2, 3) and why the previous one failed. */
export interface ReauthenticationAttempt {
  attempt: number;
  /** After this many tries the request fails with its 403 (a prompt may say "last try"). */
  maxAttempts: number;
  /** Set from the second try on: `invalid_credentials` for a wrong password, or e.g. `rate_limited`. */
  error?: AuthClientError;
}
