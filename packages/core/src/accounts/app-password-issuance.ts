import type { AppPasswords, PublicAppPassword } from '../app-passwords/app-passwords.js';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';
import type { SecurityNotices } from './security-notices.js';
import { stepUpSubject, type StepUp } from './step-up.js';

/**
 * An app password signs a device in for good, past the second factor: so minting one needs
 * the password and, with 2FA on, the factor proven on this session a moment ago; the owner
 * is told by mail. Revoking one is a plain signed-in action, like ending a session.
 */
export class AppPasswordIssuance {
  constructor(
    private readonly deps: AccountDeps,
    private readonly appPasswords: AppPasswords,
    private readonly stepUp: StepUp,
    private readonly notices: SecurityNotices,
  ) {}

  async create(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ appPassword: PublicAppPassword; password: string }> {
    stepUpSubject(auth); // an API key never mints a credential
    await this.stepUp.require(auth, { factorChange: true });
    const created = await this.appPasswords.create(auth.user, body);
    await this.audit('app_password_created', request, auth, created.appPassword.id);
    await this.notices.appPasswordCreated(auth.user.email, request, created.appPassword.name);
    return created;
  }

  async revoke(request: AuthRequest, auth: AuthState, id: string): Promise<void> {
    if (!(await this.appPasswords.revoke(auth.user.id, id))) {
      throw new GatehouseError('not_found', 'No such app password.');
    }
    await this.audit('app_password_revoked', request, auth, id);
  }

  private audit(
    type: 'app_password_created' | 'app_password_revoked',
    request: AuthRequest,
    auth: AuthState,
    id: string,
  ): Promise<void> {
    return this.deps.audit.record(type, {
      userId: auth.user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: id,
    });
  }
}
