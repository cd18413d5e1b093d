import { sql, type Kysely } from 'kysely';
import type { RateLimitStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Kysely<Database>) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    // One upsert statement, so two concurrent hits can never both read the old count.
    const windowEnd = now + windowMs;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, count: 1, reset_at: windowEnd })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.count + 1 end`,
          reset_at: sql<number>`case when rate_limits.reset_at <= ${now} then ${windowEnd} else rate_limits.reset_at end`,
        }),
      )
      .returning(['count', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { count: row.count, resetAt: row.reset_at };
  }

  async refund(key: string, resetAt: number): Promise<void> {
    // One conditional update: only the window the hit was counted in, never below zero.
    await this.db
      .updateTable('rate_limits')
      .set({ count: sql<number>`count - 1` })
      .where('key', '=', key)
      .where('reset_at', '=', resetAt)
      .where('count', '>', 0)
      .execute();
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
