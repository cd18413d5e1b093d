import type { AuthState } from '../auth-state.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { PublicApiKey } from '../tokens/api-keys.js';
import type { AccountDeps } from './deps.js';
import type { SecurityNotices } from './security-notices.js';
import { stepUpSubject, type StepUp } from './step-up.js';

/**
 * Minting an API key is how a stolen session would outlive recovery: so it needs a recent
 * password, the owner is told by mail, and the key expires (a default and a maximum life).
 */
export class ApiKeyIssuance {
  constructor(
    private readonly deps: AccountDeps,
    private readonly stepUp: StepUp,
    private readonly notices: SecurityNotices,
  ) {}

  async create(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ apiKey: PublicApiKey; secret: string }> {
    stepUpSubject(auth); // an API key never mints another
    await this.stepUp.require(auth);
    const created = await this.deps.apiKeys.create(auth.user.id, body);
    await this.deps.audit.record('api_key_created', {
      userId: auth.user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: created.apiKey.id,
    });
    await this.notices.apiKeyCreated(auth.user.email, request, created.apiKey);
    return created;
  }
}
