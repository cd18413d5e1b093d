import type { Kysely } from 'kysely';
import type { StepUpStamps, StepUpStore, StepUpSubject } from '../types.js';
import type { Database } from './schema.js';

/**
 * The step-up stamps live on the session or token family row itself, so they end with it.
 * They are kept out of the cached records on purpose: the check reads the store, so a stamp
 * made on one instance counts on every other at once.
 */
export class SqlStepUpStore implements StepUpStore {
  constructor(private readonly db: Kysely<Database>) {}

  async mark(
    subject: StepUpSubject,
    id: string,
    at: number,
    proven: { password: boolean; factor: boolean },
  ): Promise<void> {
    const stamps = {
      ...(proven.password ? { reauthenticated_at: at } : {}),
      ...(proven.factor ? { factor_verified_at: at } : {}),
    };
    if (Object.keys(stamps).length === 0) return;
    if (subject === 'session') {
      await this.db.updateTable('sessions').set(stamps).where('id', '=', id).execute();
    } else {
      await this.db.updateTable('token_families').set(stamps).where('id', '=', id).execute();
    }
  }

  async lastAt(subject: StepUpSubject, id: string): Promise<StepUpStamps | undefined> {
    const row =
      subject === 'session'
        ? await this.db
            .selectFrom('sessions')
            .select(['reauthenticated_at', 'factor_verified_at'])
            .where('id', '=', id)
            .executeTakeFirst()
        : await this.db
            .selectFrom('token_families')
            .select(['reauthenticated_at', 'factor_verified_at'])
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            .executeTakeFirst();
    if (row === undefined) return undefined;
    return { password: row.reauthenticated_at, factor: row.factor_verified_at };
  }
}
