import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { AppServerInfo } from './app-servers.js';

/**
 * Reads a running server's SQLite file, read-only (WAL lets us read beside its writer). The
 * tests judge an attack by what the SERVER holds afterwards, not only by the status code.
 */
export class ServerState {
  private readonly db: Database.Database;

  constructor(server: AppServerInfo) {
    this.db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
  }

  close(): void {
    this.db.close();
  }

  userByEmail(email: string): UserRow | undefined {
    return this.db.prepare('SELECT id, email, password_hash FROM users WHERE email = ?').get(email) as
      UserRow | undefined;
  }

  userId(email: string): string {
    const user = this.userByEmail(email);
    if (user === undefined) throw new Error(`no user ${email}`);
    return user.id;
  }

  sessions(userId: string): SessionRow[] {
    return this.db
      .prepare('SELECT id, token_hash, csrf_secret FROM sessions WHERE user_id = ? ORDER BY created_at')
      .all(userId) as SessionRow[];
  }

  families(userId: string): FamilyRow[] {
    return this.db
      .prepare(
        'SELECT id, client, generation, revoked_at, revoked_reason FROM token_families WHERE user_id = ? ORDER BY created_at',
      )
      .all(userId) as FamilyRow[];
  }

  liveFamilies(userId: string): FamilyRow[] {
    return this.families(userId).filter((family) => family.revoked_at === null);
  }

  family(id: string): FamilyRow | undefined {
    return this.db
      .prepare('SELECT id, client, generation, revoked_at, revoked_reason FROM token_families WHERE id = ?')
      .get(id) as FamilyRow | undefined;
  }

  /** The family a refresh token belongs to, found by its SHA-256 as the server stores it. */
  familyOfRefreshToken(token: string): FamilyRow | undefined {
    const row = this.db.prepare('SELECT family_id FROM refresh_tokens WHERE token_hash = ?').get(sha256Hex(token)) as
      { family_id: string } | undefined;
    return row === undefined ? undefined : this.family(row.family_id);
  }

  /** The session a cookie value names, found by its SHA-256 as the server stores it. */
  sessionOfCookie(value: string): SessionRow | undefined {
    return this.db
      .prepare('SELECT id, token_hash, csrf_secret FROM sessions WHERE token_hash = ?')
      .get(sha256Hex(value)) as SessionRow | undefined;
  }

  apiKeyCount(userId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM api_keys WHERE user_id = ?').get(userId) as { n: number }).n;
  }

  userCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** Audit events of one type since `since` (epoch ms), newest last. */
  auditEvents(type: string, since: number): AuditRow[] {
    return this.db
      .prepare('SELECT type, at, user_id, session_id, reason FROM audit_events WHERE type = ? AND at >= ? ORDER BY at')
      .all(type, since) as AuditRow[];
  }

  /** The reasons of the audit events of one type that requests with this User-Agent caused. */
  auditReasons(type: string, userAgent: string): string[] {
    const rows = this.db
      .prepare('SELECT reason FROM audit_events WHERE type = ? AND user_agent = ? ORDER BY at')
      .all(type, userAgent) as { reason: string | null }[];
    return rows.map((row) => row.reason ?? '');
  }

  /**
   * Everything an attack on this user could change: live sessions, token families and their
   * generation, API keys, the password hash. Equal before and after = the attack changed nothing.
   */
  snapshot(userId: string): UserStateSnapshot {
    const user = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as
      { password_hash: string } | undefined;
    return {
      passwordHash: user?.password_hash ?? null,
      sessions: this.sessions(userId).map((session) => session.token_hash),
      families: this.families(userId).map((family) => ({
        id: family.id,
        generation: family.generation,
        revoked: family.revoked_at !== null,
      })),
      apiKeys: this.apiKeyCount(userId),
    };
  }
}

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
}

export interface SessionRow {
  id: string;
  token_hash: string;
  csrf_secret: string;
}

export interface FamilyRow {
  id: string;
  client: string;
  generation: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export interface AuditRow {
  type: string;
  at: number;
  user_id: string | null;
  session_id: string | null;
  reason: string | null;
}

export interface UserStateSnapshot {
  passwordHash: string | null;
  sessions: string[];
  families: { id: string; generation: number; revoked: boolean }[];
  apiKeys: number;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
