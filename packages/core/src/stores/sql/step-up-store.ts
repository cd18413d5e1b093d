import type { Kysely } from 'kysely';
import type { StepUpStore, StepUpSubject } from '../types.js';
import type { Database } from './schema.js';

/**
 * The step-up stamp lives on the session or token family row itself, so it ends with it.
 * It is kept out of the cached records on purpose: the check reads the store, so a stamp
 * made on one instance counts on every other at once.
 */
export class SqlStepUpStore implements StepUpStore {
  constructor(private readonly db: Kysely<Database>) {}

  async mark(subject: StepUpSubject, id: string, at: number): Promise<void> {
    if (subject === 'session') {
      await this.db.updateTable('sessions').set({ reauthenticated_at: at }).where('id', '=', id).execute();
    } else {
      await this.db.updateTable('token_families').set({ reauthenticated_at: at }).where('id', '=', id).execute();
    }
  }

  async lastAt(subject: StepUpSubject, id: string): Promise<number | null | undefined> {
    const row =
      subject === 'session'
        ? await this.db.selectFrom('sessions').select('reauthenticated_at').where('id', '=', id).executeTakeFirst()
        : await this.db
            .selectFrom('token_families')
            .select('reauthenticated_at')
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            .executeTakeFirst();
    if (row === undefined) return undefined;
    return row.reauthenticated_at;
  }
}
