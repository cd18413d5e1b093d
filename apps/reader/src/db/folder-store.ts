import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ReaderDatabase } from './schema.js';

export interface FolderRecord {
  id: string;
  name: string;
}

/** A user's folders. Every method takes the user id first and filters on it. */
export class FolderStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async list(userId: string): Promise<FolderRecord[]> {
    return this.db.selectFrom('folders').select(['id', 'name']).where('user_id', '=', userId).orderBy('name').execute();
  }

  async find(userId: string, id: string): Promise<FolderRecord | undefined> {
    return this.db
      .selectFrom('folders')
      .select(['id', 'name'])
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async findByName(userId: string, name: string): Promise<FolderRecord | undefined> {
    return this.db
      .selectFrom('folders')
      .select(['id', 'name'])
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** Throws a unique violation if the user already has a folder of that name. */
  async create(userId: string, name: string, now: number): Promise<FolderRecord> {
    const id = randomUUID();
    await this.db.insertInto('folders').values({ id, user_id: userId, name, created_at: now }).execute();
    return { id, name };
  }

  async rename(userId: string, id: string, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('folders')
      .set({ name })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Its subscriptions stay, in no folder (the foreign key sets folder_id to null). */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('folders')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/** True for a unique-constraint violation in SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
