import type { Kysely } from 'kysely';
import type { AuthState } from '../auth-state.js';
import { hmacHex } from '../crypto.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';
import { revokeEverything } from './revoke-everything.js';
import { userChanged } from './user-changes.js';
import type { SecurityNotices } from './security-notices.js';
import type { StepUp } from './step-up.js';

/**
 * What an app registers to delete its own data of a user (the reader: subscriptions, folders,
 * read and starred state). It runs inside the deletion's transaction, with the database handle
 * that transaction uses: if it throws, nothing at all is deleted.
 */
export type AccountDeletionHook = (context: { userId: string; database: Kysely<unknown> }) => Promise<void>;

/** What the audit trail names a deleted user by: an HMAC of the id, never the id or address. */
export function auditPseudonym(secret: string, userId: string): string {
  return `deleted:${hmacHex(secret, `account:${userId}`).slice(0, 32)}`;
}

/**
 * Deleting an account (ASVS 5.0 §8.x, GDPR art. 17): step-up first, then in one transaction
 * the app's data (its hooks), every credential, the user, and the mail that says so; the
 * audit trail keeps its facts under a pseudonym (an HMAC of the id), never the id or address.
 */
export class AccountDeletion {
  private readonly hooks: AccountDeletionHook[] = [];

  constructor(
    private readonly deps: AccountDeps,
    private readonly stepUp: StepUp,
    private readonly notices: SecurityNotices,
  ) {}

  register(hook: AccountDeletionHook): void {
    this.hooks.push(hook);
  }

  async delete(request: AuthRequest, auth: AuthState): Promise<void> {
    await this.stepUp.require(auth);
    const { stores } = this.deps;
    const user = await stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    const pseudonym = auditPseudonym(this.deps.config.secret, user.id);
    await stores.atomically(async () => {
      for (const hook of this.hooks) await hook({ userId: user.id, database: stores.database });
      // Denied on every instance at once, before the rows go.
      await revokeEverything(this.deps, user.id, 'account_deleted', { keepApiKeys: false });
      if (auth.accessToken !== undefined) await this.deps.credentials.endCurrent(auth, 'account_deleted');
      await stores.users.delete(user.id);
      await stores.audit.pseudonymize(user.id, pseudonym);
      await this.notices.accountDeleted(user.email);
    });
    // Every instance forgets the user now, so nothing cached names them again.
    await userChanged(this.deps, user.id);
    await this.deps.audit.record('account_deleted', {
      userId: pseudonym,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
  }
}
