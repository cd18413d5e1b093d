import type { Kysely } from 'kysely';
import type { KnownDeviceStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlKnownDeviceStore implements KnownDeviceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async remember(userId: string, deviceHash: string, now: number): Promise<boolean> {
    // Insert-or-ignore, then tell new from known by whether the insert took: portable across
    // SQLite and PostgreSQL, and race-free (the primary key decides).
    const inserted = await this.db
      .insertInto('known_devices')
      .values({ user_id: userId, device_hash: deviceHash, first_seen_at: now, last_seen_at: now })
      .onConflict((conflict) => conflict.columns(['user_id', 'device_hash']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return true;
    await this.db
      .updateTable('known_devices')
      .set({ last_seen_at: now })
      .where('user_id', '=', userId)
      .where('device_hash', '=', deviceHash)
      .execute();
    return false;
  }
}
