import type { Generated } from 'kysely';

/** Row shapes as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 for portability. */

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  created_at: number;
  updated_at: number;
  email_verified_at: number | null;
  step_up_requires_factor: Generated<number>;
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
  reauthenticated_at: number | null;
  factor_verified_at: number | null;
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
  /** Identical events this row stands for (0004): 1 unless a burst's repeats were counted. */
  count: number;
  /** The last of them; null on rows written before 0004 (read as `at`). */
  last_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwe: string;
  created_at: number;
  retired_at: number | null;
  verify_until: number | null;
}

export interface TokenFamiliesTable {
  id: string;
  user_id: string;
  client: string;
  created_at: number;
  last_used_at: number;
  absolute_expires_at: number;
  persistent: number;
  generation: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  reauthenticated_at: number | null;
  factor_verified_at: number | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  generation: number;
  created_at: number;
  rotated_at: number | null;
}

export interface RevocationsTable {
  kind: string;
  value: string;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  /** JSON array of scope strings. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ServiceClientsTable {
  id: string;
  name: string;
  secret_hash: string;
  /** JSON array. */
  audiences: string;
  /** JSON array. */
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export interface OneTimeTokensTable {
  token_hash: string;
  user_id: string;
  purpose: string;
  email: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface MailOutboxTable {
  id: string;
  created_at: number;
  /** Encrypted: the message holds single-use links. */
  payload: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  failed_at: number | null;
}

export interface KnownDevicesTable {
  user_id: string;
  device_hash: string;
  first_seen_at: number;
  last_seen_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  signing_keys: SigningKeysTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  revocations: RevocationsTable;
  api_keys: ApiKeysTable;
  app_passwords: AppPasswordsTable;
  service_clients: ServiceClientsTable;
  one_time_tokens: OneTimeTokensTable;
  mail_outbox: MailOutboxTable;
  known_devices: KnownDevicesTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  pending_sign_ins: PendingSignInsTable;
  webauthn_challenges: WebAuthnChallengesTable;
}

export interface AppPasswordsTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  fever_key_hash: string;
  fever_login: string;
  created_at: number;
  last_used_at: number | null;
  last_used_client: string | null;
  revoked_at: number | null;
}

export interface TotpFactorsTable {
  user_id: string;
  sealed_secret: string;
  created_at: number;
  enabled_at: number | null;
  last_used_step: number | null;
}

export interface RecoveryCodesTable {
  code_hash: string;
  user_id: string;
  created_at: number;
  used_at: number | null;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  counter: number;
  transports: string;
  device_type: string;
  backed_up: number;
  created_at: number;
  last_used_at: number | null;
}

export interface PendingSignInsTable {
  token_hash: string;
  cookie_hash: string | null;
  user_id: string;
  client: string;
  persistent: number;
  failures: number;
  created_at: number;
  expires_at: number;
}

export interface WebAuthnChallengesTable {
  challenge: string;
  purpose: string;
  user_id: string | null;
  bound_to: string | null;
  expires_at: number;
}
