import type { Kysely } from 'kysely';
import type { PendingSignInRecord, PendingSignInStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlPendingSignInStore implements PendingSignInStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(pending: PendingSignInRecord): Promise<void> {
    await this.db
      .insertInto('pending_sign_ins')
      .values({
        token_hash: pending.tokenHash,
        cookie_hash: pending.cookieHash,
        user_id: pending.userId,
        client: pending.client,
        persistent: pending.persistent ? 1 : 0,
        failures: pending.failures,
        created_at: pending.createdAt,
        expires_at: pending.expiresAt,
      })
      .execute();
  }

  async findLive(tokenHash: string, now: number): Promise<PendingSignInRecord | undefined> {
    const row = await this.db
      .selectFrom('pending_sign_ins')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return (
      row && {
        tokenHash: row.token_hash,
        cookieHash: row.cookie_hash,
        userId: row.user_id,
        client: row.client as PendingSignInRecord['client'],
        persistent: row.persistent === 1,
        failures: row.failures,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  async addFailure(tokenHash: string): Promise<number | undefined> {
    await this.db
      .updateTable('pending_sign_ins')
      .set((eb) => ({ failures: eb('failures', '+', 1) }))
      .where('token_hash', '=', tokenHash)
      .execute();
    const row = await this.db
      .selectFrom('pending_sign_ins')
      .select('failures')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.failures;
  }

  async delete(tokenHash: string): Promise<boolean> {
    const result = await this.db.deleteFrom('pending_sign_ins').where('token_hash', '=', tokenHash).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('pending_sign_ins').where('user_id', '=', userId).execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
