import type { SessionRecord, TokenClient, TokenFamilyRecord, UserRecord } from './stores/types.js';

/**
 * Everything that leaves the server goes through an explicit serializer: a new column
 * (say, a password hash) can never leak by being spread into a response.
 */
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
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
  return { id: user.id, email: user.email, name: user.name, createdAt: new Date(user.createdAt).toISOString() };
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
