import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, ApiKeyStore } from '../types.js';
import type { Database, ApiKeysTable } from './schema.js';

// PostgreSQL returns int8 columns as strings, SQLite as numbers: Number() reads both.
function toMillis(value: number | string): number {
  return Number(value);
}

function toMillisOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** Scopes live in a text column as JSON so the same schema works on SQLite and PostgreSQL. */
function parseScopes(json: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error('store: api_keys.scopes is not a JSON array of strings');
  }
  return value;
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: parseScopes(row.scopes),
    createdAt: toMillis(row.created_at),
    expiresAt: toMillisOrNull(row.expires_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
    revokedAt: toMillisOrNull(row.revoked_at),
  };
}

export class SqlApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        user_id: key.userId,
        name: key.name,
        secret_hash: key.secretHash,
        scopes: JSON.stringify(key.scopes),
        created_at: key.createdAt,
        expires_at: key.expiresAt,
        last_used_at: key.lastUsedAt,
        revoked_at: key.revokedAt,
      })
      .execute();
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async listForUser(userId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      // The id breaks ties between keys made in the same millisecond, so the order is stable.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  async revoke(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeAllForUser(userId: string, now: number): Promise<ApiKeyRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
      if (live.length === 0) return [];
      await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
      return live.map((row) => ({ ...toRecord(row), revokedAt: now }));
    });
  }

  async touch(id: string, lastUsedAt: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: lastUsedAt }).where('id', '=', id).execute();
  }
}
