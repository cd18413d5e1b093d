import type { Kysely, Selectable } from 'kysely';
import type { MailFailure, MailOutboxStore, QueuedMailRecord } from '../../mail/mail-outbox-store.js';
import type { Database, MailOutboxTable } from './schema.js';

/** Just the table this store touches: it also runs on a database holding only that table. */
export type MailOutboxDatabase = Pick<Database, 'mail_outbox'>;

// PostgreSQL returns int8 (`bigint`) columns as strings, SQLite as numbers: Number() reads both.
function toNumber(value: number | string): number {
  return Number(value);
}

function toNullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function toRecord(row: Selectable<MailOutboxTable>): QueuedMailRecord {
  return {
    id: row.id,
    createdAt: toNumber(row.created_at),
    payload: row.payload,
    attempts: toNumber(row.attempts),
    nextAttemptAt: toNumber(row.next_attempt_at),
    leaseUntil: toNullableNumber(row.lease_until),
    lastError: row.last_error,
    failedAt: toNullableNumber(row.failed_at),
  };
}

export class SqlMailOutboxStore implements MailOutboxStore {
  constructor(private readonly db: Kysely<MailOutboxDatabase>) {}

  async insert(record: QueuedMailRecord): Promise<void> {
    await this.db
      .insertInto('mail_outbox')
      .values({
        id: record.id,
        created_at: record.createdAt,
        payload: record.payload,
        attempts: record.attempts,
        next_attempt_at: record.nextAttemptAt,
        lease_until: record.leaseUntil,
        last_error: record.lastError,
        failed_at: record.failedAt,
      })
      .execute();
  }

  async listDue(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  async claim(id: string, now: number, leaseUntil: number): Promise<QueuedMailRecord | undefined> {
    // One conditional UPDATE … RETURNING (SQLite ≥ 3.35 and PostgreSQL): the row is re-checked
    // as it is written, so of two instances racing for it exactly one gets it back.
    const row = await this.db
      .updateTable('mail_outbox')
      .set({ lease_until: leaseUntil })
      .where('id', '=', id)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  async complete(id: string, leaseUntil: number): Promise<void> {
    await this.db.deleteFrom('mail_outbox').where('id', '=', id).where('lease_until', '=', leaseUntil).execute();
  }

  async fail(id: string, leaseUntil: number, failure: MailFailure): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set({
        attempts: failure.attempts,
        next_attempt_at: failure.nextAttemptAt,
        last_error: failure.lastError,
        failed_at: failure.failedAt,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('lease_until', '=', leaseUntil)
      .execute();
  }
}
