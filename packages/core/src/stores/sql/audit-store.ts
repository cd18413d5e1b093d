import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditEventType, AuditStore, NewAuditEvent } from '../types.js';
import type { AuditEventsTable, Database } from './schema.js';

/** Rows deleted per statement by the retention sweep, so no single delete holds the table long. */
const DELETE_BATCH = 5_000;

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: row.id,
    type: row.type as AuditEventType,
    at: row.at,
    userId: row.user_id,
    sessionId: row.session_id,
    ip: row.ip,
    userAgent: row.user_agent,
    reason: row.reason,
    count: row.count,
    lastAt: row.last_at ?? row.at,
  };
}

export class SqlAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: NewAuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: event.id,
        type: event.type,
        at: event.at,
        user_id: event.userId,
        session_id: event.sessionId,
        ip: event.ip,
        user_agent: event.userAgent,
        reason: event.reason,
        count: event.count ?? 1,
        last_at: event.lastAt ?? event.at,
      })
      .execute();
  }

  async list(filter: { userId?: string; type?: AuditEventType; limit?: number } = {}): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toEvent);
  }

  async pseudonymize(userId: string, pseudonym: string): Promise<number> {
    const result = await this.db
      .updateTable('audit_events')
      .set({ user_id: pseudonym })
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.db
        .deleteFrom('audit_events')
        .where('id', 'in', (eb) =>
          eb.selectFrom('audit_events').select('id').where('at', '<', cutoff).limit(DELETE_BATCH),
        )
        .executeTakeFirst();
      const batch = Number(result.numDeletedRows);
      deleted += batch;
      if (batch < DELETE_BATCH) return deleted;
    }
  }
}
