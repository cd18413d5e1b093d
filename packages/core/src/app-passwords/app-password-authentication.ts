import type { AuditTrail } from '../audit.js';
import { rateLimitSubject } from '../client-ip.js';
import { GatehouseError } from '../errors.js';
import type { RateLimiter, RateLimitRule } from '../rate-limit.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AppPasswords, AppPasswordUser } from './app-passwords.js';

export interface AppPasswordAuthenticationDeps {
  appPasswords: AppPasswords;
  rateLimiter: RateLimiter;
  failuresPerIp: RateLimitRule;
  audit: AuditTrail;
  ipv6RateLimitPrefix: number;
}

/**
 * The sync APIs' front door: every way a reader app proves itself, with failures audited
 * and counted per IP. Only failures are counted (a success costs no write); app passwords
 * are random 100-bit secrets, so the count bounds a flood, not a guesser.
 */
export class AppPasswordAuthentication {
  constructor(private readonly deps: AppPasswordAuthenticationDeps) {}

  /** Throws `invalid_credentials` (the same for an unknown email, an account password or a revoked one). */
  async signIn(
    request: AuthRequest,
    email: string,
    password: string,
  ): Promise<{ user: AppPasswordUser; token: string }> {
    const signedIn = await this.deps.appPasswords.signIn(email, password, userAgentOf(request));
    if (signedIn !== undefined) return signedIn;
    await this.failed(request, 'sign_in');
    throw new GatehouseError('invalid_credentials', 'The email or app password is not right.');
  }

  async token(request: AuthRequest, token: string): Promise<AppPasswordUser | undefined> {
    const user = await this.deps.appPasswords.verifyToken(token, userAgentOf(request));
    if (user === undefined) await this.failed(request, 'token');
    return user;
  }

  async feverKey(request: AuthRequest, apiKey: string): Promise<AppPasswordUser | undefined> {
    const user = await this.deps.appPasswords.verifyFeverKey(apiKey, userAgentOf(request));
    if (user === undefined) await this.failed(request, 'fever_key');
    return user;
  }

  /** Audited (bursts become one row), counted, and over the limit a 429 instead of a 401. */
  private async failed(request: AuthRequest, how: string): Promise<void> {
    await this.deps.audit.record('app_password_rejected', {
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: how,
    });
    const { failuresPerIp, ipv6RateLimitPrefix } = this.deps;
    const decision = await this.deps.rateLimiter.consume([
      [failuresPerIp, rateLimitSubject(request.ip, ipv6RateLimitPrefix)],
    ]);
    if (!decision.allowed) {
      throw new GatehouseError(
        'rate_limited',
        `Too many failed attempts. Try again in ${String(decision.retryAfterSeconds)} seconds.`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
  }
}
