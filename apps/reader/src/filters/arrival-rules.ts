import type { Kysely } from 'kysely';
import type { ReaderDatabase } from '../db/schema.js';
import { ARRIVAL_ACTIONS, LISTING_ACTIONS, type FilterRule } from './filter-rule.js';
import { toRule } from './filter-rule-store.js';
import { RuleMatcher } from './keyword-matcher.js';
import { insertHits } from './rule-coverage.js';

/** An item a fetch just stored: new, or changed since the last fetch. */
export interface Arrival {
  id: number;
  isNew: boolean;
  title: string;
  author: string | null;
  /** The content as plain text, as the search index has it. */
  contentText: string;
}

/**
 * Applies the rules of the feed's subscribers to what a fetch stored, inside the fetch's
 * transaction: auto-star and mark-read on new items (per subscriber: marks are the user's
 * own), and the hits of hide and keep-only rules on new and changed items. One indexed query
 * when nobody who reads the feed has rules; no text is read or matched then.
 */
export async function applyRulesToArrivals(
  db: Kysely<ReaderDatabase>,
  feedId: string,
  arrivals: readonly Arrival[],
  now: number,
): Promise<void> {
  if (arrivals.length === 0) return;
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('filter_rules as r', (join) =>
      join
        .onRef('r.user_id', '=', 's.user_id')
        .on((eb) => eb.or([eb('r.subscription_id', 'is', null), eb('r.subscription_id', '=', eb.ref('s.id'))])),
    )
    .leftJoin('filter_coverage as c', (join) =>
      join.onRef('c.rule_id', '=', 'r.id').onRef('c.subscription_id', '=', 's.id'),
    )
    .selectAll('r')
    .where('s.feed_id', '=', feedId)
    // Listing rules only where their hits are kept (or being computed): elsewhere the next
    // read computes them from scratch anyway.
    .where((eb) => eb.or([eb('r.action', 'in', ARRIVAL_ACTIONS), eb('c.rule_id', 'is not', null)]))
    .execute();
  if (rows.length === 0) return;
  const rules: FilterRule[] = rows.map(toRule);
  const owners = rows.map((row) => row.user_id);
  const listing = rules.filter((rule) => LISTING_ACTIONS.includes(rule.action)).map((rule) => rule.id);
  const matcher = new RuleMatcher(rules);

  for (const arrival of arrivals) {
    const matched = [
      ...matcher.matching({ title: arrival.title, author: arrival.author, content: arrival.contentText }),
    ];
    if (!arrival.isNew && listing.length > 0) {
      await db.deleteFrom('filter_hits').where('item_id', '=', arrival.id).where('rule_id', 'in', listing).execute();
    }
    const hits = matched
      .map((index) => rules[index])
      .filter((rule): rule is FilterRule => rule !== undefined && LISTING_ACTIONS.includes(rule.action))
      .map((rule) => ({ rule_id: rule.id, item_id: arrival.id }));
    await insertHits(db, hits);
    // An edited post is not news: marks are for items that arrive after the rule.
    if (arrival.isNew) await markArrival(db, arrival.id, matched, rules, owners, now);
  }
}

async function markArrival(
  db: Kysely<ReaderDatabase>,
  itemId: number,
  matched: readonly number[],
  rules: readonly FilterRule[],
  owners: readonly string[],
  now: number,
): Promise<void> {
  const marks = new Map<string, { read: number; starred: number }>();
  for (const index of matched) {
    const rule = rules[index];
    const userId = owners[index];
    if (rule === undefined || userId === undefined || !ARRIVAL_ACTIONS.includes(rule.action)) continue;
    const mark = marks.get(userId) ?? { read: 0, starred: 0 };
    if (rule.action === 'markRead') mark.read = 1;
    if (rule.action === 'star') mark.starred = 1;
    marks.set(userId, mark);
  }
  for (const [userId, { read, starred }] of marks) {
    const set: { read?: number; starred?: number; updated_at: number } = { updated_at: now };
    if (read === 1) set.read = 1;
    if (starred === 1) set.starred = 1;
    await db
      .insertInto('item_states')
      .values({ user_id: userId, item_id: itemId, read, starred, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet(set))
      .execute();
  }
}
