import type { Kysely, Selectable } from 'kysely';
import type { AppPasswordRecord, AppPasswordStore } from '../types.js';
import type { AppPasswordsTable, Database } from './schema.js';

// PostgreSQL returns int8 columns as strings, SQLite as numbers: Number() reads both.
function toMillis(value: number | string): number {
  return Number(value);
}

function toMillisOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function toRecord(row: Selectable<AppPasswordsTable>): AppPasswordRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    secretHash: row.secret_hash,
    feverKeyHash: row.fever_key_hash,
    feverLogin: row.fever_login,
    createdAt: toMillis(row.created_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
    lastUsedClient: row.last_used_client,
    revokedAt: toMillisOrNull(row.revoked_at),
  };
}

export class SqlAppPasswordStore implements AppPasswordStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(record: AppPasswordRecord): Promise<void> {
    await this.db
      .insertInto('app_passwords')
      .values({
        id: record.id,
        user_id: record.userId,
        name: record.name,
        secret_hash: record.secretHash,
        fever_key_hash: record.feverKeyHash,
        fever_login: record.feverLogin,
        created_at: record.createdAt,
        last_used_at: record.lastUsedAt,
        last_used_client: record.lastUsedClient,
        revoked_at: record.revokedAt,
      })
      .execute();
  }

  async findById(id: string): Promise<AppPasswordRecord | undefined> {
    const row = await this.db.selectFrom('app_passwords').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async findBySecretHash(secretHash: string): Promise<AppPasswordRecord | undefined> {
    const row = await this.db
      .selectFrom('app_passwords')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async findByFeverKeyHash(feverKeyHash: string): Promise<AppPasswordRecord | undefined> {
    const row = await this.db
      .selectFrom('app_passwords')
      .selectAll()
      .where('fever_key_hash', '=', feverKeyHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async listForUser(userId: string): Promise<AppPasswordRecord[]> {
    const rows = await this.db
      .selectFrom('app_passwords')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      // The id breaks ties between passwords made in the same millisecond: a stable order.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  async revoke(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('app_passwords')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeAllForUser(userId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('app_passwords')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async touch(id: string, lastUsedAt: number, client: string | null): Promise<void> {
    await this.db
      .updateTable('app_passwords')
      .set({ last_used_at: lastUsedAt, last_used_client: client })
      .where('id', '=', id)
      .execute();
  }
}
