import type { SessionRecord, TokenClient, TokenFamilyRecord, UserRecord } from './stores/types.js';

/**
 * Everything that leaves the server goes through an explicit serializer: a new column
 * (say, a password hash) can never leak by being spread into a response.
 */
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  /** Whether the owner has followed the link mailed to `email`. */
  emailVerified: boolean;
  createdAt: string;
}

export interface PublicSession {
  id: string;
  /** A cookie session, or a refresh token family and the kind of client holding it. */
  kind: 'session' | TokenClient;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function toPublicSession(
  session: SessionRecord,
  expiresAt: number,
  currentSessionId: string | undefined,
): PublicSession {
  return {
    id: session.id,
    kind: 'session',
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.id === currentSessionId,
  };
}

export function toPublicFamily(family: TokenFamilyRecord, currentId: string | undefined): PublicSession {
  return {
    id: family.id,
    kind: family.client,
    createdAt: new Date(family.createdAt).toISOString(),
    lastSeenAt: new Date(family.lastUsedAt).toISOString(),
    expiresAt: new Date(family.absoluteExpiresAt).toISOString(),
    ip: family.ip,
    userAgent: family.userAgent,
    current: family.id === currentId,
  };
}

/**
 * `GET /me`'s answer as JSON text, made once per credential record and user. Records are
 * values: every change replaces them (a session's touch, a family's rotation or reload, a
 * user's reload), never edits them in place, so a new record means a new answer and the old
 * text goes with the record it was keyed on. What is checked per request (expiry, revocation)
 * is checked before this is asked.
 */
export class MeBodies {
  private readonly bodies = new WeakMap<SessionRecord | TokenFamilyRecord, { user: UserRecord; json: string }>();

  get(user: UserRecord, credential: SessionRecord | TokenFamilyRecord): string | undefined {
    const cached = this.bodies.get(credential);
    return cached?.user === user ? cached.json : undefined;
  }

  remember(user: UserRecord, credential: SessionRecord | TokenFamilyRecord, session: PublicSession): string {
    const json = JSON.stringify({ user: toPublicUser(user), session });
    this.bodies.set(credential, { user, json });
    return json;
  }
}
