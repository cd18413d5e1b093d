import type { Clock } from './clock.js';
import type { SessionConfig } from './config.js';
import { createCsrfSecret } from './csrf.js';
import { randomToken, sha256Hex, type RandomSource } from './crypto.js';
import { LocalPushChannel, type PushChannel } from './push-channel.js';
import { SessionCache, type CachedSession } from './session-cache.js';
import type { SessionRecord, SessionStore, UserStore } from './stores/types.js';

const TOKEN_BYTES = 32; // 256 bits: unguessable, and only its SHA-256 is stored
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const ID_BYTES = 16;

export interface NewSessionInput {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  persistent: boolean;
}

/**
 * Server-side sessions. The cookie holds a random token; the store holds its hash, so a
 * leaked database yields no usable cookie. Every sign-in makes a brand-new session (there
 * is no "upgrade" of an existing one), which is what rules out session fixation.
 */
export class SessionManager {
  private readonly cache: SessionCache;

  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserStore,
    private readonly config: SessionConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    cacheSize = 10_000,
    /** Tells other instances which sessions ended; while it is not live, the cache is not used. */
    private readonly push: PushChannel = LocalPushChannel.singleProcess(),
  ) {
    this.cache = new SessionCache(cacheSize);
  }

  async create(input: NewSessionInput): Promise<{ token: string; session: SessionRecord }> {
    const now = this.clock();
    const token = randomToken(TOKEN_BYTES, this.random);
    const session: SessionRecord = {
      id: randomToken(ID_BYTES, this.random),
      userId: input.userId,
      tokenHash: sha256Hex(token),
      csrfSecret: createCsrfSecret(this.random),
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: now + this.config.absoluteLifetimeMs,
      persistent: input.persistent,
      ip: input.ip,
      userAgent: input.userAgent === null ? null : input.userAgent.slice(0, 512),
    };
    await this.sessions.create(session);
    return { token, session };
  }

  /** The live session a cookie value names, or undefined. Never throws on bad input. */
  async validate(token: string | undefined): Promise<CachedSession | undefined> {
    if (token === undefined || !TOKEN_SHAPE.test(token)) return undefined;
    const tokenHash = sha256Hex(token);
    // Not live: a revocation on another instance may not have reached us, so ask the store.
    const cached = this.push.live ? this.cache.get(tokenHash) : undefined;
    const entry = cached ?? (await this.load(tokenHash));
    if (entry === undefined) return undefined;

    const now = this.clock();
    if (this.isExpired(entry.session, now)) {
      this.cache.evict({ sessionIds: [entry.session.id] });
      await this.sessions.deleteForUser(entry.session.userId, entry.session.id);
      return undefined;
    }
    // Sliding idle expiry, written at most once per touch interval: reads stay reads.
    if (now - entry.session.lastSeenAt >= this.config.touchIntervalMs) {
      entry.session = { ...entry.session, lastSeenAt: now };
      await this.sessions.touch(entry.session.id, now);
    }
    return entry;
  }

  list(userId: string): Promise<SessionRecord[]> {
    return this.sessions.listForUser(userId);
  }

  async revoke(userId: string, sessionId: string): Promise<boolean> {
    this.cache.evict({ sessionIds: [sessionId] });
    const deleted = await this.sessions.deleteForUser(userId, sessionId);
    // Published before the caller acknowledges; if it fails the caller gets an error, not a 2xx.
    if (deleted) await this.push.publish({ type: 'sessions_ended', sessionIds: [sessionId] });
    return deleted;
  }

  /** Ends every session of the user, except `keepSessionId` when given. */
  async revokeAll(userId: string, keepSessionId?: string): Promise<string[]> {
    const deleted = await this.sessions.deleteAllForUser(userId, keepSessionId);
    this.cache.evict({ sessionIds: deleted });
    if (deleted.length > 0) await this.push.publish({ type: 'sessions_ended', sessionIds: deleted });
    return deleted;
  }

  /** Sessions another instance ended: forget them here. */
  evictCached(sessionIds: readonly string[]): void {
    this.cache.evict({ sessionIds });
  }

  /** The user's record changed: cached sessions must load it again. */
  evictUser(userId: string): void {
    this.cache.evict({ userId });
  }

  /** After a gap in the push channel: nothing cached can be trusted. */
  clearCache(): void {
    this.cache.clear();
  }

  /** When the session dies if left alone: the earlier of idle and absolute expiry. */
  expiresAt(session: SessionRecord): number {
    return Math.min(session.lastSeenAt + this.config.idleTimeoutMs, session.absoluteExpiresAt);
  }

  /** Max-Age for the cookie: the absolute lifetime left, or none for a browser-session cookie. */
  cookieMaxAgeSeconds(session: SessionRecord): number | undefined {
    if (!session.persistent) return undefined;
    return Math.floor((session.absoluteExpiresAt - this.clock()) / 1000);
  }

  deleteExpired(): Promise<number> {
    return this.sessions.deleteExpired(this.clock(), this.config.idleTimeoutMs);
  }

  private isExpired(session: SessionRecord, now: number): boolean {
    return now >= session.absoluteExpiresAt || now - session.lastSeenAt >= this.config.idleTimeoutMs;
  }

  private async load(tokenHash: string): Promise<CachedSession | undefined> {
    const evictionsBefore = this.cache.evictions;
    const session = await this.sessions.findByTokenHash(tokenHash);
    if (session === undefined) return undefined;
    const user = await this.users.findById(session.userId);
    if (user === undefined) return undefined;
    const entry = { session, user };
    // What we read may predate an eviction that landed meanwhile: use it once, do not keep it.
    if (this.push.live && this.cache.evictions === evictionsBefore) this.cache.set(tokenHash, entry);
    return entry;
  }
}
