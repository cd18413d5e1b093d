import { z } from 'zod';
import type { AuthState } from '../auth-state.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { revokeEverything } from './revoke-everything.js';
import type { StepUp } from './step-up.js';

const SignOutEverywhereInput = z.object({
  /** true: the user's API keys keep working. By default they are revoked with the rest. */
  keepApiKeys: z.boolean({ message: 'must be true or false' }).optional(),
});

/**
 * `POST /logout-all`: every session, token family and (unless kept) API key of the user ends
 * at once, this one included. Needs a recent password: a thief holding a copied cookie must
 * not be able to lock the owner out everywhere, nor keep the keys they minted by choosing.
 */
export class SignOutEverywhere {
  constructor(
    private readonly deps: AccountDeps,
    private readonly stepUp: StepUp,
  ) {}

  async run(request: AuthRequest, auth: AuthState, body: unknown): Promise<void> {
    await this.stepUp.require(auth);
    const { keepApiKeys } = parseInput(SignOutEverywhereInput, body ?? {});
    const revoked = await revokeEverything(this.deps, auth.user.id, 'logout_all', {
      keepApiKeys: keepApiKeys === true,
    });
    if (auth.accessToken !== undefined) await this.deps.credentials.endCurrent(auth, 'logout_all');
    const context = {
      userId: auth.user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
    };
    await this.deps.audit.record('logout_all', {
      ...context,
      reason: `revoked_${String(revoked.sessionsAndFamilies)}`,
    });
    if (revoked.apiKeys > 0) {
      await this.deps.audit.record('api_keys_revoked', { ...context, reason: `revoked_${String(revoked.apiKeys)}` });
    }
  }
}
