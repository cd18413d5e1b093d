import type { Kysely } from 'kysely';
import type { RevocationKind, RevocationRecord, RevocationStore } from '../types.js';
import type { Database } from './schema.js';

// PostgreSQL returns int8 (`bigint`) columns as strings, SQLite as numbers: Number() reads both.
function toNumber(value: number | string): number {
  return Number(value);
}

export class SqlRevocationStore implements RevocationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(entry: RevocationRecord): Promise<void> {
    // One upsert, so two instances denying the same value at once cannot shorten a denial:
    // the stored expiry only ever moves later.
    await this.db
      .insertInto('revocations')
      .values({ kind: entry.kind, value: entry.value, expires_at: entry.expiresAt })
      .onConflict((oc) =>
        oc
          .columns(['kind', 'value'])
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('revocations.expires_at', '<', (eb) => eb.ref('excluded.expires_at')),
      )
      .execute();
  }

  async listActive(now: number): Promise<RevocationRecord[]> {
    const rows = await this.db.selectFrom('revocations').selectAll().where('expires_at', '>', now).execute();
    return rows.map((row) => ({
      kind: row.kind as RevocationKind,
      value: row.value,
      expiresAt: toNumber(row.expires_at),
    }));
  }

  async isRevoked(kind: RevocationKind, value: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('revocations')
      .select('expires_at')
      .where('kind', '=', kind)
      .where('value', '=', value)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('revocations').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
