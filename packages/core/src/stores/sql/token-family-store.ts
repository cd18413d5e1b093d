import type { Kysely, Selectable } from 'kysely';
import type { RefreshTokenRecord, TokenClient, TokenFamilyRecord, TokenFamilyStore } from '../types.js';
import type { Database, RefreshTokensTable, TokenFamiliesTable } from './schema.js';

// PostgreSQL returns int8 (`bigint`) columns as strings, SQLite as numbers: Number() reads both.
function toNumber(value: number | string): number {
  return Number(value);
}

function toNumberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function toFamily(row: Selectable<TokenFamiliesTable>): TokenFamilyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    client: row.client as TokenClient,
    createdAt: toNumber(row.created_at),
    lastUsedAt: toNumber(row.last_used_at),
    absoluteExpiresAt: toNumber(row.absolute_expires_at),
    persistent: toNumber(row.persistent) === 1,
    generation: toNumber(row.generation),
    revokedAt: toNumberOrNull(row.revoked_at),
    revokedReason: row.revoked_reason,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

function toToken(row: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    generation: toNumber(row.generation),
    createdAt: toNumber(row.created_at),
    rotatedAt: toNumberOrNull(row.rotated_at),
  };
}

function familyRow(family: TokenFamilyRecord): Selectable<TokenFamiliesTable> {
  return {
    id: family.id,
    user_id: family.userId,
    client: family.client,
    created_at: family.createdAt,
    last_used_at: family.lastUsedAt,
    absolute_expires_at: family.absoluteExpiresAt,
    persistent: family.persistent ? 1 : 0,
    generation: family.generation,
    revoked_at: family.revokedAt,
    revoked_reason: family.revokedReason,
    ip: family.ip,
    user_agent: family.userAgent,
    // Stamped by the sign-in that starts the family (accounts/step-up.ts), not by rotation.
    reauthenticated_at: null,
    factor_verified_at: null,
  };
}

function tokenRow(token: RefreshTokenRecord): Selectable<RefreshTokensTable> {
  return {
    token_hash: token.tokenHash,
    family_id: token.familyId,
    generation: token.generation,
    created_at: token.createdAt,
    rotated_at: token.rotatedAt,
  };
}

export class SqlTokenFamilyStore implements TokenFamilyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(family: TokenFamilyRecord, firstToken: RefreshTokenRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('token_families').values(familyRow(family)).execute();
      await trx.insertInto('refresh_tokens').values(tokenRow(firstToken)).execute();
    });
  }

  async findFamily(familyId: string): Promise<TokenFamilyRecord | undefined> {
    const row = await this.db.selectFrom('token_families').selectAll().where('id', '=', familyId).executeTakeFirst();
    return row && toFamily(row);
  }

  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: TokenFamilyRecord } | undefined> {
    // One statement, so the token and its family are read at the same moment.
    const row = await this.db
      .selectFrom('refresh_tokens')
      .innerJoin('token_families', 'token_families.id', 'refresh_tokens.family_id')
      .selectAll('token_families')
      .select([
        'refresh_tokens.token_hash',
        'refresh_tokens.family_id',
        'refresh_tokens.generation as token_generation',
        'refresh_tokens.created_at as token_created_at',
        'refresh_tokens.rotated_at',
      ])
      .where('refresh_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      token: toToken({
        token_hash: row.token_hash,
        family_id: row.family_id,
        generation: row.token_generation,
        created_at: row.token_created_at,
        rotated_at: row.rotated_at,
      }),
      family: toFamily(row),
    };
  }

  async rotate(tokenHash: string, successor: RefreshTokenRecord, now: number): Promise<boolean> {
    // The conditional UPDATE is the lock: of two concurrent rotations of the same token only
    // one sees `rotated_at IS NULL` and changes a row (PostgreSQL re-checks the condition after
    // waiting on the row lock; SQLite runs one write transaction at a time). The loser gets
    // false and writes nothing, so a token can never have two successors.
    return this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('refresh_tokens')
        .set({ rotated_at: now })
        .where('token_hash', '=', tokenHash)
        .where('rotated_at', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== 1) return false;
      await trx.insertInto('refresh_tokens').values(tokenRow(successor)).execute();
      await trx
        .updateTable('token_families')
        .set({ generation: successor.generation, last_used_at: now })
        .where('id', '=', successor.familyId)
        .execute();
      return true;
    });
  }

  async listLiveForUser(userId: string, now: number): Promise<TokenFamilyRecord[]> {
    const rows = await this.db
      .selectFrom('token_families')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('absolute_expires_at', '>', now)
      .orderBy('last_used_at', 'desc')
      .execute();
    return rows.map(toFamily);
  }

  async revoke(userId: string, familyId: string, reason: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('token_families')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('id', '=', familyId)
      .where('revoked_at', 'is', null)
      .where('absolute_expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeAllForUser(userId: string, reason: string, now: number, keepFamilyId?: string): Promise<string[]> {
    let query = this.db
      .updateTable('token_families')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('absolute_expires_at', '>', now);
    if (keepFamilyId !== undefined) query = query.where('id', '!=', keepFamilyId);
    const rows = await query.returning('id').execute();
    return rows.map((row) => row.id);
  }

  async deleteExpired(now: number): Promise<number> {
    // Tokens first and explicitly: ON DELETE CASCADE only works where foreign keys are on
    // (SQLite needs a pragma per connection), and a token must not outlive its family.
    return this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('refresh_tokens')
        .where('family_id', 'in', (eb) =>
          eb.selectFrom('token_families').select('id').where('absolute_expires_at', '<=', now),
        )
        .execute();
      const result = await trx.deleteFrom('token_families').where('absolute_expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
