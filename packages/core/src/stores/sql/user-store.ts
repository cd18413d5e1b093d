import type { Kysely, Selectable } from 'kysely';
import { EmailTakenError, type UserRecord, type UserStore } from '../types.js';
import { isUniqueViolation } from './database.js';
import type { Database, UsersTable } from './schema.js';

function toRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    emailVerifiedAt: row.email_verified_at,
  };
}

export class SqlUserStore implements UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: UserRecord): Promise<void> {
    try {
      await this.db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          name: user.name,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
          email_verified_at: user.emailVerifiedAt,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError('store: email already registered', { cause: error });
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toRecord(row);
  }

  async hasAny(): Promise<boolean> {
    return (await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  async markEmailVerified(userId: string, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ email_verified_at: now, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  async updateEmail(userId: string, email: string, now: number): Promise<void> {
    try {
      await this.db
        .updateTable('users')
        .set({ email, email_verified_at: now, updated_at: now })
        .where('id', '=', userId)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError('store: email already registered', { cause: error });
      throw error;
    }
  }

  async delete(userId: string): Promise<boolean> {
    // Every table that holds the user's rows, children first, explicitly: the foreign keys
    // cascade too, but the deletion must not depend on a pragma being on.
    return this.db.transaction().execute(async (trx) => {
      const families = trx.selectFrom('token_families').select('id').where('user_id', '=', userId);
      await trx.deleteFrom('refresh_tokens').where('family_id', 'in', families).execute();
      await trx.deleteFrom('token_families').where('user_id', '=', userId).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      await trx.deleteFrom('api_keys').where('user_id', '=', userId).execute();
      await trx.deleteFrom('app_passwords').where('user_id', '=', userId).execute();
      await trx.deleteFrom('one_time_tokens').where('user_id', '=', userId).execute();
      await trx.deleteFrom('known_devices').where('user_id', '=', userId).execute();
      for (const table of [
        'totp_factors',
        'recovery_codes',
        'passkeys',
        'pending_sign_ins',
        'webauthn_challenges',
      ] as const) {
        await trx.deleteFrom(table).where('user_id', '=', userId).execute();
      }
      const result = await trx.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async stepUpRequiresFactor(userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('step_up_requires_factor')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.step_up_requires_factor === 1;
  }

  async setStepUpRequiresFactor(userId: string, required: boolean, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ step_up_requires_factor: required ? 1 : 0, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }
}
