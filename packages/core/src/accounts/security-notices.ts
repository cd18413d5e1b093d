import * as templates from '../mail/templates.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';

/**
 * The mail a user gets when something happens to their account that a thief would want to
 * hide (ASVS 5.0 §6.2.11, §6.4.x): each notice says what, when and from where, and how to get
 * the account back. Queued in the outbox, so a request never waits for SMTP, and in the
 * caller's transaction when there is one.
 */
export class SecurityNotices {
  constructor(private readonly deps: Pick<AccountDeps, 'mail' | 'config' | 'links' | 'clock'>) {}

  private get common() {
    return { appName: this.deps.config.accounts.appName, origin: this.deps.links.origin };
  }

  private where(request: AuthRequest) {
    return { at: this.deps.clock(), ip: request.ip, userAgent: userAgentOf(request) };
  }

  passwordChanged(to: string, request: AuthRequest, apiKeysRevoked: boolean): Promise<void> {
    return this.deps.mail.enqueue({
      to,
      ...templates.passwordChanged({ ...this.common, ...this.where(request), apiKeysRevoked }),
    });
  }

  passwordWasReset(to: string, request: AuthRequest): Promise<void> {
    return this.deps.mail.enqueue({ to, ...templates.passwordWasReset({ ...this.common, ...this.where(request) }) });
  }

  emailChangeRequested(to: string, newEmail: string): Promise<void> {
    return this.deps.mail.enqueue({ to, ...templates.emailChangeRequested({ ...this.common, newEmail }) });
  }

  emailChanged(to: string, newEmail: string): Promise<void> {
    return this.deps.mail.enqueue({ to, ...templates.emailChanged({ ...this.common, newEmail }) });
  }

  apiKeyCreated(
    to: string,
    request: AuthRequest,
    key: { name: string; scopes: readonly string[]; expiresAt: string | null },
  ): Promise<void> {
    const { at, ip } = this.where(request);
    return this.deps.mail.enqueue({
      to,
      ...templates.apiKeyCreated({
        ...this.common,
        keyName: key.name,
        scopes: [...key.scopes],
        expiresAt: key.expiresAt,
        at,
        ip,
      }),
    });
  }

  appPasswordCreated(to: string, request: AuthRequest, name: string): Promise<void> {
    const { at, ip } = this.where(request);
    return this.deps.mail.enqueue({ to, ...templates.appPasswordCreated({ ...this.common, name, at, ip }) });
  }

  newDeviceSignIn(to: string, request: AuthRequest): Promise<void> {
    const { at, ip, userAgent } = this.where(request);
    return this.deps.mail.enqueue({
      to,
      ...templates.newDeviceSignIn({ ...this.common, at, ip, device: userAgent ?? 'an unknown device' }),
    });
  }

  secondFactorChanged(to: string, request: AuthRequest, change: templates.FactorChange): Promise<void> {
    return this.deps.mail.enqueue({
      to,
      ...templates.secondFactorChanged({ ...this.common, ...this.where(request), change }),
    });
  }

  accountDeleted(to: string): Promise<void> {
    return this.deps.mail.enqueue({ to, ...templates.accountDeleted(this.common) });
  }
}
