import type { Kysely, Selectable } from 'kysely';
import type { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokenStore } from '../types.js';
import type { Database, OneTimeTokensTable } from './schema.js';

function toRecord(row: Selectable<OneTimeTokensTable>): OneTimeTokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    purpose: row.purpose as OneTimeTokenPurpose,
    email: row.email,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

export class SqlOneTimeTokenStore implements OneTimeTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: OneTimeTokenRecord): Promise<void> {
    await this.db
      .insertInto('one_time_tokens')
      .values({
        token_hash: token.tokenHash,
        user_id: token.userId,
        purpose: token.purpose,
        email: token.email,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        used_at: token.usedAt,
      })
      .execute();
  }

  async findLive(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
    now: number,
  ): Promise<OneTimeTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async consume(tokenHash: string, purpose: OneTimeTokenPurpose, now: number): Promise<OneTimeTokenRecord | undefined> {
    // The conditional update is the lock: only one of two racing requests changes the row.
    const result = await this.db
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return undefined;
    const row = await this.db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async voidForUser(userId: string, purposes: readonly OneTimeTokenPurpose[], now: number): Promise<number> {
    if (purposes.length === 0) return 0;
    const result = await this.db
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', 'in', [...purposes])
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteExpired(now: number): Promise<number> {
    // Used tokens go once they would have expired anyway: until then they answer "used".
    const result = await this.db.deleteFrom('one_time_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
