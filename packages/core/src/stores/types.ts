/**
 * One interface per concern. Implementations: SQL through Kysely (SQLite now; PostgreSQL
 * shares the same code), Redis later for caches and counters. A store never knows about
 * HTTP, and every query about a user's data takes the user id and filters on it.
 */

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  /** Public handle, used to list and revoke; never a credential. */
  id: string;
  userId: string;
  /** SHA-256 of the cookie value. The cookie value itself is never stored. */
  tokenHash: string;
  /** The CSRF secret bound to this session; rotated with every new session. */
  csrfSecret: string;
  createdAt: number;
  lastSeenAt: number;
  absoluteExpiresAt: number;
  /** false: the cookie was issued without Max-Age and ends with the browser. */
  persistent: boolean;
  ip: string | null;
  userAgent: string | null;
}

export type AuditEventType =
  | 'signup'
  | 'login_succeeded'
  | 'login_failed'
  | 'logout'
  | 'logout_all'
  | 'session_revoked'
  | 'password_changed'
  | 'csrf_rejected'
  | 'rate_limited';

/** What happened, to whom, from where. Never a password, token, hash or request body. */
export interface AuditEvent {
  id: string;
  type: AuditEventType;
  at: number;
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** A short machine-readable reason, e.g. `origin_untrusted` or `login_per_ip`. */
  reason: string | null;
}

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export interface UserStore {
  /** Throws EmailTakenError if the (normalized) email is already registered. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  touch(sessionId: string, lastSeenAt: number): Promise<void>;
  /** Deletes one of the user's sessions; false when it was not theirs or did not exist. */
  deleteForUser(userId: string, sessionId: string): Promise<boolean>;
  /** Deletes every session of the user except `keepSessionId`; returns the deleted ids. */
  deleteAllForUser(userId: string, keepSessionId?: string): Promise<string[]>;
  /** Removes sessions past their absolute lifetime or idle for longer than `idleTimeoutMs`. */
  deleteExpired(now: number, idleTimeoutMs: number): Promise<number>;
}

export interface RateLimitStore {
  /**
   * Counts one hit against `key` in a fixed window, atomically: a window that ended is
   * restarted. Returns the count including this hit and when the window ends.
   */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  reset(key: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(filter?: { userId?: string; type?: AuditEventType; limit?: number }): Promise<AuditEvent[]>;
}

export interface GatehouseStores {
  users: UserStore;
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  audit: AuditStore;
  close(): Promise<void>;
}
