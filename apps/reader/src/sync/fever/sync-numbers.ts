import type { Kysely } from 'kysely';
import type { ReaderDatabase } from '../../db/schema.js';
import { toInteger } from './sql-integer.js';

export type SyncKind = 'feed' | 'folder';

/** Below SQLite's bound-parameter limit with room to spare. */
const CHUNK = 500;

/**
 * Stable integers for feed and folder ids (the `sync_numbers` table). A number is given the
 * first time a sync client needs one and never changes: Fever clients cache feeds and
 * groups by these ids. Feed numbers are shared by every subscriber (the feed row is); whose
 * feed or folder a number is still comes from the user's own rows, never from the number.
 */
export class SyncNumbers {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  /** The number of each ref, giving one to those that have none yet. */
  async numbersFor(kind: SyncKind, refs: Iterable<string>): Promise<Map<string, number>> {
    const unique = [...new Set(refs)];
    const numbers = new Map<string, number>();
    for (let start = 0; start < unique.length; start += CHUNK) {
      const chunk = unique.slice(start, start + CHUNK);
      await this.lookUp(kind, chunk, numbers);
      const missing = chunk.filter((ref) => !numbers.has(ref));
      if (missing.length === 0) continue;
      // Only the missing ones are inserted: on PostgreSQL a conflicting insert still takes a
      // value from the sequence, and numbering everything every time would burn through it.
      // DO NOTHING covers another request numbering the same ref in between.
      await this.db
        .insertInto('sync_numbers')
        .values(missing.map((ref) => ({ kind, ref })))
        .onConflict((oc) => oc.columns(['kind', 'ref']).doNothing())
        .execute();
      await this.lookUp(kind, missing, numbers);
    }
    return numbers;
  }

  /** The ref a number stands for, if it was ever given for this kind. */
  async refOf(kind: SyncKind, number: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sync_numbers')
      .select('ref')
      .where('kind', '=', kind)
      .where('id', '=', number)
      .executeTakeFirst();
    return row?.ref;
  }

  private async lookUp(kind: SyncKind, refs: string[], into: Map<string, number>): Promise<void> {
    const rows = await this.db
      .selectFrom('sync_numbers')
      .select(['id', 'ref'])
      .where('kind', '=', kind)
      .where('ref', 'in', refs)
      .execute();
    for (const row of rows) into.set(row.ref, toInteger(row.id));
  }
}
