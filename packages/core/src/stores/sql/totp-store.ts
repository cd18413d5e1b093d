import type { Kysely } from 'kysely';
import type { TotpFactorRecord, TotpStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlTotpStore implements TotpStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: string): Promise<TotpFactorRecord | undefined> {
    const row = await this.db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return (
      row && {
        userId: row.user_id,
        sealedSecret: row.sealed_secret,
        createdAt: row.created_at,
        enabledAt: row.enabled_at,
        lastUsedStep: row.last_used_step,
      }
    );
  }

  async savePending(record: TotpFactorRecord): Promise<boolean> {
    // An enabled factor is never overwritten by a new setup: that needs removing it first.
    await this.db
      .deleteFrom('totp_factors')
      .where('user_id', '=', record.userId)
      .where('enabled_at', 'is', null)
      .execute();
    const inserted = await this.db
      .insertInto('totp_factors')
      .values({
        user_id: record.userId,
        sealed_secret: record.sealedSecret,
        created_at: record.createdAt,
        enabled_at: null,
        last_used_step: null,
      })
      .onConflict((conflict) => conflict.column('user_id').doNothing())
      .executeTakeFirst();
    return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async useStep(userId: string, step: number, enableAt?: number): Promise<boolean> {
    // The conditional update is the lock: a replayed code's step is not newer than itself.
    let update = this.db
      .updateTable('totp_factors')
      .set({ last_used_step: step, ...(enableAt === undefined ? {} : { enabled_at: enableAt }) })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]));
    update =
      enableAt === undefined ? update.where('enabled_at', 'is not', null) : update.where('enabled_at', 'is', null);
    const result = await update.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
