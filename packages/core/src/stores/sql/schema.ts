/** Row shapes as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 for portability. */

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_secret: string;
  created_at: number;
  last_seen_at: number;
  absolute_expires_at: number;
  persistent: number;
  ip: string | null;
  user_agent: string | null;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: number;
}

export interface AuditEventsTable {
  id: string;
  type: string;
  at: number;
  user_id: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  reason: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
}
