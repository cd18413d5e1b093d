import type { Kysely } from 'kysely';
import type { MailOutboxStore } from '../mail/mail-outbox-store.js';
import type { PushChannel } from '../push-channel.js';

/**
 * One interface per concern. Implementations: SQL through Kysely (SQLite and PostgreSQL
 * share the same code), Redis for the shared session cache, rate-limit counters and the push
 * channel. A store never knows about HTTP, and every query about a user's data takes the
 * user id and filters on it.
 */

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
  /** When the owner proved they receive mail at `email`; null until then. */
  emailVerifiedAt: number | null;
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
  | 'rate_limited'
  | 'token_rejected'
  | 'refresh_reused'
  | 'signing_key_rotated'
  | 'api_key_created'
  | 'api_key_revoked'
  | 'service_token_issued'
  | 'service_token_refused'
  | 'email_verification_sent'
  | 'email_verified'
  | 'password_reset_requested'
  | 'password_reset'
  | 'reauthenticated'
  | 'reauthentication_failed'
  | 'email_change_requested'
  | 'email_changed'
  | 'account_deleted'
  | 'api_keys_revoked'
  | 'new_device_sign_in'
  | 'one_time_token_rejected'
  | 'second_factor_failed'
  | 'second_factor_succeeded'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'recovery_codes_generated'
  | 'recovery_code_used'
  | 'passkey_added'
  | 'passkey_removed'
  | 'passkey_renamed'
  | 'passkey_sign_in'
  | 'passkey_sign_in_failed'
  | 'mfa_step_up_changed'
  | 'app_password_created'
  | 'app_password_revoked'
  | 'app_password_rejected';

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
  /**
   * How many identical events this row stands for: 1, or the repeats of a burst counted in
   * memory and written as one row when its window ended (audit.ts, issue 15).
   */
  count: number;
  /** When the last of them happened; `at` when the row is one event. */
  lastAt: number;
}

/** An event to write: a single one unless `count` says it stands for several. */
export type NewAuditEvent = Omit<AuditEvent, 'count' | 'lastAt'> & Partial<Pick<AuditEvent, 'count' | 'lastAt'>>;

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export interface UserStore {
  /** Throws EmailTakenError if the (normalized) email is already registered. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /** Whether any account exists: none on a fresh install, whose first visitor comes to sign up. */
  hasAny(): Promise<boolean>;
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
  markEmailVerified(userId: string, now: number): Promise<void>;
  /** Sets a new (verified) address; throws EmailTakenError if another account has it. */
  updateEmail(userId: string, email: string, now: number): Promise<void>;
  /**
   * Deletes the user and every row that belongs to them (sessions, token families and their
   * refresh tokens, API keys, one-time tokens, known devices). false when there was no such user.
   */
  delete(userId: string): Promise<boolean>;
  stepUpRequiresFactor(userId: string): Promise<boolean>;
  setStepUpRequiresFactor(userId: string, required: boolean, now: number): Promise<void>;
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
  /**
   * Takes back one hit counted in the window that ends at `resetAt` (what `hit` returned),
   * atomically. Does nothing if that window has since ended or been reset, or its count is
   * 0: a refund never eats into a later window.
   */
  refund(key: string, resetAt: number): Promise<void>;
  reset(key: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface AuditStore {
  record(event: NewAuditEvent): Promise<void>;
  /** Newest first. */
  list(filter?: { userId?: string; type?: AuditEventType; limit?: number }): Promise<AuditEvent[]>;
  /** A deleted user's events keep their facts under a pseudonym instead of the user id. */
  pseudonymize(userId: string, pseudonym: string): Promise<number>;
  /** Retention: deletes the events that happened before `cutoff`; returns how many. */
  deleteOlderThan(cutoff: number): Promise<number>;
}

export type SigningAlgorithm = 'EdDSA' | 'ES256';

/** A JWT signing key pair. The private half is only ever stored encrypted. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlgorithm;
  /** The public JWK, as JSON. */
  publicJwk: string;
  /** The private JWK, as a compact JWE (dir + A256GCM) under a key derived from GATEHOUSE_SECRET. */
  privateJwe: string;
  createdAt: number;
  /** When it stopped signing; null while it is the active key. */
  retiredAt: number | null;
  /** Past this it verifies nothing and leaves the JWKS; null while active. */
  verifyUntil: number | null;
}

export interface SigningKeyStore {
  /** Every key not yet past `verifyUntil`, newest first. */
  list(now: number): Promise<SigningKeyRecord[]>;
  create(key: SigningKeyRecord): Promise<void>;
  /** Retires every active key other than `exceptKid`; returns the kids retired. */
  retireActive(exceptKid: string, retiredAt: number, verifyUntil: number): Promise<string[]>;
  deleteExpired(now: number): Promise<number>;
}

/** Which kind of client a refresh token family belongs to (DESIGN.md, client types). */
export type TokenClient = 'jwt-cookie' | 'memory-token' | 'bearer';

/**
 * A chain of refresh tokens from one sign-in. Its id is the `sid` claim of every access
 * token issued from it, so revoking the family denies them all.
 */
export interface TokenFamilyRecord {
  id: string;
  userId: string;
  client: TokenClient;
  createdAt: number;
  lastUsedAt: number;
  absoluteExpiresAt: number;
  /** false: the refresh cookie ends with the browser. */
  persistent: boolean;
  /** The generation of the newest token; starts at 1, +1 per rotation. */
  generation: number;
  revokedAt: number | null;
  /** e.g. `logout`, `reuse_detected`, `password_changed`. */
  revokedReason: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  familyId: string;
  generation: number;
  createdAt: number;
  /** When it was exchanged for its successor; null while it is the family's current token. */
  rotatedAt: number | null;
}

export interface TokenFamilyStore {
  create(family: TokenFamilyRecord, firstToken: RefreshTokenRecord): Promise<void>;
  findFamily(familyId: string): Promise<TokenFamilyRecord | undefined>;
  findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: TokenFamilyRecord } | undefined>;
  /**
   * Atomically (one transaction): marks `tokenHash` rotated if it is still current, inserts
   * `successor`, and bumps the family's generation and last use. Returns false, changing
   * nothing, when another request rotated it first.
   */
  rotate(tokenHash: string, successor: RefreshTokenRecord, now: number): Promise<boolean>;
  /** Live (not revoked, not expired) families of the user, most recently used first. */
  listLiveForUser(userId: string, now: number): Promise<TokenFamilyRecord[]>;
  /** Revokes one of the user's live families; false when not theirs, unknown or already revoked. */
  revoke(userId: string, familyId: string, reason: string, now: number): Promise<boolean>;
  /** Revokes every live family of the user except `keepFamilyId`; returns the revoked ids. */
  revokeAllForUser(userId: string, reason: string, now: number, keepFamilyId?: string): Promise<string[]>;
  /** Deletes families (and their tokens) past their absolute lifetime. */
  deleteExpired(now: number): Promise<number>;
}

/**
 * What a denylist entry names: an access token (`jti`), every access token of a session or
 * token family (`sid`), or an API key (`api_key`, by key id).
 */
export type RevocationKind = 'jti' | 'sid' | 'api_key';

export interface RevocationRecord {
  kind: RevocationKind;
  value: string;
  /** When the credential it denies would have expired anyway; the entry can go then. */
  expiresAt: number;
}

export interface RevocationStore {
  /** Adds or extends an entry (the later expiry wins). */
  add(entry: RevocationRecord): Promise<void>;
  listActive(now: number): Promise<RevocationRecord[]>;
  /** One live entry, asked of the store itself: the check when the push channel is down. */
  isRevoked(kind: RevocationKind, value: string, now: number): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

/** A long-lived key a user gives a third-party program. Only a hash of its secret is kept. */
export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the whole presented key. */
  secretHash: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  findById(id: string): Promise<ApiKeyRecord | undefined>;
  /** The user's keys that are not revoked, newest first. */
  listForUser(userId: string): Promise<ApiKeyRecord[]>;
  /** false when the key is not the user's, unknown or already revoked. */
  revoke(userId: string, id: string, now: number): Promise<boolean>;
  touch(id: string, lastUsedAt: number): Promise<void>;
  /** Revokes every live key of the user; returns the keys revoked. */
  revokeAllForUser(userId: string, now: number): Promise<ApiKeyRecord[]>;
}

/**
 * A password for one device's reader app (the sync APIs only). Only hashes are kept: of the
 * password itself, and of the Fever protocol's md5(login:password), which is its own key.
 */
export interface AppPasswordRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the canonical password (lower case, dashes). */
  secretHash: string;
  /** SHA-256 of the Fever api_key, md5(`${feverLogin}:${password}`) in lower-case hex. */
  feverKeyHash: string;
  /** The login the Fever key was computed with: the owner's email when it was created. */
  feverLogin: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** The User-Agent of the app that used it last, shortened. */
  lastUsedClient: string | null;
  revokedAt: number | null;
}

export interface AppPasswordStore {
  create(record: AppPasswordRecord): Promise<void>;
  findById(id: string): Promise<AppPasswordRecord | undefined>;
  findBySecretHash(secretHash: string): Promise<AppPasswordRecord | undefined>;
  findByFeverKeyHash(feverKeyHash: string): Promise<AppPasswordRecord | undefined>;
  /** The user's live (not revoked) app passwords, newest first. */
  listForUser(userId: string): Promise<AppPasswordRecord[]>;
  /** false when it is not the user's, unknown or already revoked. */
  revoke(userId: string, id: string, now: number): Promise<boolean>;
  /** Revokes every live app password of the user; returns how many. */
  revokeAllForUser(userId: string, now: number): Promise<number>;
  touch(id: string, lastUsedAt: number, client: string | null): Promise<void>;
}

/** Another service that gets short-lived JWTs with its client id and secret. */
export interface ServiceClientRecord {
  id: string;
  name: string;
  /** SHA-256 of the client secret. */
  secretHash: string;
  /** The `aud` values it may ask for: the services it is allowed to call. */
  audiences: string[];
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
}

export interface ServiceClientStore {
  create(client: ServiceClientRecord): Promise<void>;
  findById(id: string): Promise<ServiceClientRecord | undefined>;
  /** Clients that are not revoked, oldest first. */
  list(): Promise<ServiceClientRecord[]>;
  revoke(id: string, now: number): Promise<boolean>;
}

/** What a mailed single-use link is for. */
export type OneTimeTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** A single-use link's token. Only its SHA-256 is stored. */
export interface OneTimeTokenRecord {
  tokenHash: string;
  userId: string;
  purpose: OneTimeTokenPurpose;
  /** The address the link was sent to: the one verified, or the new one of an email change. */
  email: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface OneTimeTokenStore {
  create(token: OneTimeTokenRecord): Promise<void>;
  /** The live token (unused, unexpired) with this hash and purpose, or undefined. */
  findLive(tokenHash: string, purpose: OneTimeTokenPurpose, now: number): Promise<OneTimeTokenRecord | undefined>;
  /**
   * Marks the live token used, atomically: of two requests presenting it at once, one gets
   * the record and the other undefined.
   */
  consume(tokenHash: string, purpose: OneTimeTokenPurpose, now: number): Promise<OneTimeTokenRecord | undefined>;
  /** Voids the user's unused tokens of these purposes (a newer link, a password change). */
  voidForUser(userId: string, purposes: readonly OneTimeTokenPurpose[], now: number): Promise<number>;
  deleteExpired(now: number): Promise<number>;
}

/** Which record a step-up is stamped on: a cookie session, or a token family (`sid`). */
export type StepUpSubject = 'session' | 'token_family';

/** When the password was last entered on a session or token family ("sudo mode"). */
/** When the password, and a second factor, were last proven on a credential; null: never. */
export interface StepUpStamps {
  password: number | null;
  factor: number | null;
}

export interface StepUpStore {
  /** Stamps what was just proven: the password, a second factor, or both. */
  mark(subject: StepUpSubject, id: string, at: number, proven: { password: boolean; factor: boolean }): Promise<void>;
  /** undefined when the session or family does not exist. */
  lastAt(subject: StepUpSubject, id: string): Promise<StepUpStamps | undefined>;
}

export interface TotpFactorRecord {
  userId: string;
  sealedSecret: string;
  createdAt: number;
  /** null while the setup waits for its first valid code. */
  enabledAt: number | null;
  lastUsedStep: number | null;
}

export interface TotpStore {
  find(userId: string): Promise<TotpFactorRecord | undefined>;
  /** Starts (or restarts) a setup: replaces an unfinished one, never an enabled factor. */
  savePending(record: TotpFactorRecord): Promise<boolean>;
  /**
   * Accepts a code's time step, atomically: true only if it is newer than every step accepted
   * before, so of two requests presenting the same code one wins. `enable` also switches it on.
   */
  useStep(userId: string, step: number, enableAt?: number): Promise<boolean>;
  delete(userId: string): Promise<boolean>;
}

export interface RecoveryCodeStore {
  /** Voids every earlier code of the user and stores these hashes. */
  replace(userId: string, codeHashes: readonly string[], now: number): Promise<void>;
  /** Marks an unused code used, atomically; false when unknown, used or someone else's. */
  consume(userId: string, codeHash: string, now: number): Promise<boolean>;
  remaining(userId: string): Promise<number>;
  deleteAll(userId: string): Promise<void>;
}

export interface PasskeyRecord {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  name: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyStore {
  create(passkey: PasskeyRecord): Promise<void>;
  find(id: string): Promise<PasskeyRecord | undefined>;
  listForUser(userId: string): Promise<PasskeyRecord[]>;
  countForUser(userId: string): Promise<number>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  /**
   * Records a use: only if the signature counter moved forward (or both are 0, for
   * authenticators without one), atomically; false means a cloned or replayed authenticator.
   */
  recordUse(id: string, previousCounter: number, counter: number, backedUp: boolean, now: number): Promise<boolean>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface PendingSignInRecord {
  tokenHash: string;
  /** null for native apps (the mfa token alone); browsers must also bring the cookie. */
  cookieHash: string | null;
  userId: string;
  client: TokenClient | 'session';
  persistent: boolean;
  failures: number;
  createdAt: number;
  expiresAt: number;
}

export interface PendingSignInStore {
  create(pending: PendingSignInRecord): Promise<void>;
  findLive(tokenHash: string, now: number): Promise<PendingSignInRecord | undefined>;
  /** Counts a wrong answer; returns the new count (undefined when the attempt is gone). */
  addFailure(tokenHash: string): Promise<number | undefined>;
  /** Ends it; true for the one request that did (a pending sign-in completes once). */
  delete(tokenHash: string): Promise<boolean>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export type WebAuthnPurpose = 'register' | 'sign_in' | 'second_factor' | 'step_up';

export interface WebAuthnChallengeRecord {
  challenge: string;
  purpose: WebAuthnPurpose;
  userId: string | null;
  boundTo: string | null;
  expiresAt: number;
}

export interface WebAuthnChallengeStore {
  create(challenge: WebAuthnChallengeRecord): Promise<void>;
  /** Removes and returns a live challenge: each is good for one ceremony only. */
  take(challenge: string, now: number): Promise<WebAuthnChallengeRecord | undefined>;
  deleteExpired(now: number): Promise<number>;
}

export interface KnownDeviceStore {
  /** Records a sign-in from this device; true when the user had never signed in from it. */
  remember(userId: string, deviceHash: string, now: number): Promise<boolean>;
}

export interface GatehouseStores {
  users: UserStore;
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  audit: AuditStore;
  signingKeys: SigningKeyStore;
  tokenFamilies: TokenFamilyStore;
  revocations: RevocationStore;
  apiKeys: ApiKeyStore;
  appPasswords: AppPasswordStore;
  serviceClients: ServiceClientStore;
  oneTimeTokens: OneTimeTokenStore;
  stepUps: StepUpStore;
  knownDevices: KnownDeviceStore;
  mailOutbox: MailOutboxStore;
  totp: TotpStore;
  recoveryCodes: RecoveryCodeStore;
  passkeys: PasskeyStore;
  pendingSignIns: PendingSignInStore;
  webauthnChallenges: WebAuthnChallengeStore;
  /**
   * The SQL database itself, for an app's own account-deletion hook: inside `atomically` it
   * runs in the same transaction. Type it with the app's own table types.
   */
  database: Kysely<unknown>;
  /** How revocations reach other instances (Redis pub/sub); absent on a single node. */
  push?: PushChannel;
  /**
   * Runs `work` as one transaction of the SQL database: the SQL writes made inside commit
   * together or not at all (signup's user and first credential). Nested calls join the outer.
   */
  atomically<T>(work: () => Promise<T>): Promise<T>;
  /** Closes pools and connections; waits for queries in flight. */
  close(): Promise<void>;
}
