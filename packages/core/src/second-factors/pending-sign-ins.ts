import type { Clock } from '../clock.js';
import type { BrowserMode } from '../config.js';
import { expireCookie, pendingSignInCookieName, readCookies, serializeCookie } from '../cookies.js';
import type { ClientKind } from '../credentials.js';
import { randomToken, sha256Hex, type RandomSource } from '../crypto.js';
import type { AuthRequest } from '../request.js';
import type { PendingSignInRecord, PendingSignInStore } from '../stores/types.js';

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const PENDING_SIGN_IN_TTL_MS = 5 * 60 * 1000;
/** Wrong answers one attempt may give before it ends (the account-wide limit is separate). */
export const MAX_PENDING_FAILURES = 5;

export interface StartedSignIn {
  /** The body half: a browser keeps it in memory; a native app sends it back as `mfa_token`. */
  mfaToken: string;
  expiresAt: number;
  /** Set-Cookie for the HttpOnly half (browsers only). */
  cookies: string[];
}

/**
 * A password that was right but not enough: the attempt waits up to five minutes for its
 * second factor, and never yields a session on its own. A browser's attempt is split in two
 * halves, an HttpOnly cookie and a token the page holds in memory, and needs both: the cookie
 * copied into another browser is useless, and so is the token read by a script. A native app
 * has no cookie jar; its `mfa_token` alone stands for the attempt, as its refresh token does.
 */
export class PendingSignIns {
  private readonly cookieName: string;

  constructor(
    private readonly store: PendingSignInStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly secureCookies: boolean,
    private readonly browserMode: BrowserMode,
  ) {
    this.cookieName = pendingSignInCookieName(secureCookies);
  }

  async start(userId: string, client: ClientKind, persistent: boolean): Promise<StartedSignIn> {
    const now = this.clock();
    const mfaToken = randomToken(TOKEN_BYTES, this.random);
    const browser = client !== 'bearer';
    const cookieToken = browser ? randomToken(TOKEN_BYTES, this.random) : undefined;
    const expiresAt = now + PENDING_SIGN_IN_TTL_MS;
    await this.store.create({
      tokenHash: sha256Hex(mfaToken),
      cookieHash: cookieToken === undefined ? null : sha256Hex(cookieToken),
      userId,
      client,
      persistent,
      failures: 0,
      createdAt: now,
      expiresAt,
    });
    return { mfaToken, expiresAt, cookies: cookieToken === undefined ? [] : [this.cookie(cookieToken)] };
  }

  /**
   * The live attempt the request names, with both halves for a browser's; undefined for
   * anything else (expired, ended, half missing, a native token used as a browser's or back).
   */
  async find(request: AuthRequest, mfaToken: string): Promise<PendingSignInRecord | undefined> {
    if (!TOKEN_SHAPE.test(mfaToken)) return undefined;
    const pending = await this.store.findLive(sha256Hex(mfaToken), this.clock());
    if (pending === undefined) return undefined;
    const cookieToken = readCookies(request.headers.get('cookie'))[this.cookieName];
    if (pending.cookieHash === null) return cookieToken === undefined ? pending : undefined;
    if (cookieToken === undefined || sha256Hex(cookieToken) !== pending.cookieHash) return undefined;
    return pending;
  }

  /** Counts a wrong answer; true when that was the last one allowed and the attempt is over. */
  async fail(pending: PendingSignInRecord): Promise<{ ended: boolean; attemptsLeft: number }> {
    const failures = (await this.store.addFailure(pending.tokenHash)) ?? MAX_PENDING_FAILURES;
    if (failures < MAX_PENDING_FAILURES) return { ended: false, attemptsLeft: MAX_PENDING_FAILURES - failures };
    await this.store.delete(pending.tokenHash);
    return { ended: true, attemptsLeft: 0 };
  }

  /** Ends the attempt; true only for the one request that did, so it completes once. */
  finish(pending: PendingSignInRecord): Promise<boolean> {
    return this.store.delete(pending.tokenHash);
  }

  /** Every attempt of the user ends (a factor removed, the account reset). */
  endAllFor(userId: string): Promise<void> {
    return this.store.deleteForUser(userId);
  }

  /** Set-Cookie that removes the cookie half, sent whenever the attempt ends. */
  clearCookie(): string {
    return expireCookie(this.cookieName, this.cookieAttributes());
  }

  deleteExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock());
  }

  private cookie(token: string): string {
    return serializeCookie(this.cookieName, token, {
      ...this.cookieAttributes(),
      maxAgeSeconds: PENDING_SIGN_IN_TTL_MS / 1000,
    });
  }

  private cookieAttributes() {
    // The cross-site SPA's requests are cross-site: only a SameSite=None cookie comes back.
    return { secure: this.secureCookies, sameSite: this.browserMode === 'memory-token' ? 'none' : 'strict' } as const;
  }
}
