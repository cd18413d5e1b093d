import type { Kysely } from 'kysely';
import type { ReaderDatabase } from '../db/schema.js';
import { indexedContentTexts } from '../db/search-index.js';
import { LISTING_ACTIONS, type FilterRule } from './filter-rule.js';
import { toRule } from './filter-rule-store.js';
import { RuleMatcher } from './keyword-matcher.js';

/**
 * The hits of hide and keep-only rules on items already stored. They are computed once per
 * (rule, subscription) — when the rule is made or changed, or when the user subscribes to
 * another feed — and ingest (arrival-rules.ts) keeps them up to date after that. Listing
 * then reads hits by index and never scans text.
 *
 * A computation goes chunk by chunk, each chunk read, matched and written in one
 * transaction, so the server keeps answering in between and an item updated meanwhile by a
 * fetch is matched on its newest text either here or at ingest. Its coverage row is written
 * first (complete = 0): ingest matches new items from that moment. If the rule changes or
 * goes meanwhile, the computation stops; the next read starts it again.
 */

const ITEMS_PER_CHUNK = 500;
/** Two bound values per hit row; SQLite allows 32,766 per statement. */
const HITS_PER_INSERT = 1000;

/** Computes whatever hits the user's listing rules still lack. */
export async function ensureCoverage(db: Kysely<ReaderDatabase>, userId: string): Promise<void> {
  const gaps = await db
    .selectFrom('filter_rules as r')
    .innerJoin('subscriptions as s', (join) =>
      join
        .onRef('s.user_id', '=', 'r.user_id')
        .on((eb) => eb.or([eb('r.subscription_id', 'is', null), eb('r.subscription_id', '=', eb.ref('s.id'))])),
    )
    .leftJoin('filter_coverage as c', (join) =>
      join.onRef('c.rule_id', '=', 'r.id').onRef('c.subscription_id', '=', 's.id'),
    )
    .selectAll('r')
    .select(['s.id as covered_subscription_id', 's.feed_id'])
    .where('r.user_id', '=', userId)
    .where('r.action', 'in', LISTING_ACTIONS)
    .where((eb) => eb.or([eb('c.rule_id', 'is', null), eb('c.complete', '=', 0)]))
    .execute();
  const bySubscription = new Map<string, { feedId: string; rules: FilterRule[] }>();
  for (const row of gaps) {
    const entry = bySubscription.get(row.covered_subscription_id) ?? { feedId: row.feed_id, rules: [] };
    entry.rules.push(toRule(row));
    bySubscription.set(row.covered_subscription_id, entry);
  }
  for (const [subscriptionId, { feedId, rules }] of bySubscription) {
    await computeHits(db, subscriptionId, feedId, rules);
  }
}

async function computeHits(
  db: Kysely<ReaderDatabase>,
  subscriptionId: string,
  feedId: string,
  rules: readonly FilterRule[],
): Promise<void> {
  const ruleIds = rules.map((rule) => rule.id);
  await db
    .insertInto('filter_coverage')
    .values(ruleIds.map((ruleId) => ({ rule_id: ruleId, subscription_id: subscriptionId, complete: 0 })))
    .onConflict((oc) => oc.columns(['rule_id', 'subscription_id']).doUpdateSet({ complete: 0 }))
    .execute();
  const matcher = new RuleMatcher(rules);
  let after = 0; // item ids start at 1
  for (;;) {
    const step = await inTransaction(db, async (trx) => {
      if (!(await unchanged(trx, rules))) return 'stale' as const;
      const items = await trx
        .selectFrom('items')
        .select(['id', 'title', 'author'])
        .where('feed_id', '=', feedId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(ITEMS_PER_CHUNK)
        .execute();
      const last = items.at(-1);
      if (last === undefined) {
        await trx
          .updateTable('filter_coverage')
          .set({ complete: 1 })
          .where('subscription_id', '=', subscriptionId)
          .where('rule_id', 'in', ruleIds)
          .execute();
        return 'done' as const;
      }
      const ids = items.map((item) => item.id);
      const texts = await indexedContentTexts(trx as Kysely<unknown>, ids);
      const hits: { rule_id: string; item_id: number }[] = [];
      for (const item of items) {
        const matched = matcher.matching({ title: item.title, author: item.author, content: texts.get(item.id) ?? '' });
        for (const index of matched) hits.push({ rule_id: ruleIds[index] ?? '', item_id: item.id });
      }
      await trx.deleteFrom('filter_hits').where('rule_id', 'in', ruleIds).where('item_id', 'in', ids).execute();
      await insertHits(trx, hits);
      return last.id;
    });
    if (step === 'stale' || step === 'done') return;
    after = step;
    // Let other requests in between chunks: a feed may hold many thousands of items.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A transaction of its own, or the caller's if there is one (Kysely does not nest them). */
async function inTransaction<T>(
  db: Kysely<ReaderDatabase>,
  work: (trx: Kysely<ReaderDatabase>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export async function insertHits(
  db: Kysely<ReaderDatabase>,
  hits: readonly { rule_id: string; item_id: number }[],
): Promise<void> {
  for (let start = 0; start < hits.length; start += HITS_PER_INSERT) {
    await db
      .insertInto('filter_hits')
      .values(hits.slice(start, start + HITS_PER_INSERT))
      .onConflict((oc) => oc.columns(['rule_id', 'item_id']).doNothing())
      .execute();
  }
}

/** True while every rule still says what it said when the computation started. */
async function unchanged(db: Kysely<ReaderDatabase>, rules: readonly FilterRule[]): Promise<boolean> {
  const rows = await db
    .selectFrom('filter_rules')
    .selectAll()
    .where(
      'id',
      'in',
      rules.map((rule) => rule.id),
    )
    .execute();
  const now = new Map(rows.map((row) => [row.id, meaning(toRule(row))]));
  return rules.every((rule) => now.get(rule.id) === meaning(rule));
}

function meaning(rule: FilterRule): string {
  return JSON.stringify([rule.action, rule.subscriptionId, rule.fields, rule.keywords]);
}
