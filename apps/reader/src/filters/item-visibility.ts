import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ReaderDatabase } from '../db/schema.js';
import { LISTING_ACTIONS } from './filter-rule.js';
import { ensureCoverage } from './rule-coverage.js';

interface ListingRule {
  id: string;
  action: string;
  subscription_id: string | null;
}

/**
 * Which items a user's hide and keep-only rules let through, as an SQL condition for any
 * query that lists or counts items (see filter-rule.ts for what the rules mean). A user
 * without such rules costs one indexed look-up and gets `1 = 1`: their queries stay as
 * they were.
 */
export class ItemVisibility {
  private constructor(private readonly rules: readonly ListingRule[]) {}

  /** Reads the user's listing rules and computes any hits they lack (rule-coverage.ts). */
  static async of(db: Kysely<ReaderDatabase>, userId: string): Promise<ItemVisibility> {
    const rules = await db
      .selectFrom('filter_rules')
      .select(['id', 'action', 'subscription_id'])
      .where('user_id', '=', userId)
      .where('action', 'in', LISTING_ACTIONS)
      .execute();
    if (rules.length > 0) await ensureCoverage(db, userId);
    return new ItemVisibility(rules);
  }

  /** No rule hides anything: the condition is always true. */
  get showsAll(): boolean {
    return this.rules.length === 0;
  }

  /**
   * Holds for an item the rules let through. `items` names the items table in the query,
   * `subscription` the user's subscription to the item's feed.
   */
  shown(items: string, subscription: string): RawBuilder<SqlBool> {
    const item = sql.ref(`${items}.id`);
    const hide = this.rules.filter((rule) => rule.action === 'hide').map((rule) => rule.id);
    const keep = this.rules.filter((rule) => rule.action === 'keepOnly');
    const parts: RawBuilder<SqlBool>[] = [];
    if (hide.length > 0) {
      parts.push(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM filter_hits AS hidden_by
        WHERE hidden_by.item_id = ${item} AND hidden_by.rule_id IN (${sql.join(hide)}))`);
    }
    if (keep.length > 0) {
      const kept = sql<SqlBool>`EXISTS (SELECT 1 FROM filter_hits AS kept_by
        WHERE kept_by.item_id = ${item} AND kept_by.rule_id IN (${sql.join(keep.map((rule) => rule.id))}))`;
      // Hits exist only where a rule applies, so one kept hit is enough; what has to be
      // known is whether any keep-only rule applies to this subscription at all.
      const scoped = keep.map((rule) => rule.subscription_id);
      if (scoped.includes(null)) parts.push(kept);
      else {
        const where = sql.ref(`${subscription}.id`);
        parts.push(sql<SqlBool>`(${where} NOT IN (${sql.join(scoped)}) OR ${kept})`);
      }
    }
    return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
  }
}
