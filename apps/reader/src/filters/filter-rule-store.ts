import { randomUUID } from 'node:crypto';
import { GatehouseError } from '@gatehouse/core';
import type { Kysely, Selectable } from 'kysely';
import type { FilterRulesTable, ReaderDatabase } from '../db/schema.js';
import type { MatchField } from './keyword-matcher.js';
import {
  FILTER_ACTIONS,
  FILTER_LIMITS,
  MATCH_FIELDS,
  type CreateRuleInput,
  type FilterAction,
  type FilterRule,
  type UpdateRuleInput,
} from './filter-rule.js';

/**
 * A user's filter rules. Every method takes the user id first and filters on it. Changing
 * or deleting a rule drops its computed hits in the same transaction; rule-coverage.ts
 * computes them again before the next list.
 */
export class FilterRuleStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async list(userId: string): Promise<FilterRule[]> {
    const rows = await this.db
      .selectFrom('filter_rules')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRule);
  }

  async find(userId: string, id: string): Promise<FilterRule | undefined> {
    const row = await this.db
      .selectFrom('filter_rules')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRule(row);
  }

  /** Refuses (409) a rule past the user's limit; the count and the insert share a transaction. */
  async create(userId: string, input: CreateRuleInput, now: number): Promise<FilterRule> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      const { count } = await trx
        .selectFrom('filter_rules')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= FILTER_LIMITS.rulesPerUser) {
        throw new GatehouseError(
          'conflict',
          `You have ${String(FILTER_LIMITS.rulesPerUser)} filter rules, the most allowed: delete one first.`,
          { extensions: { limit: 'rules_per_user', max: FILTER_LIMITS.rulesPerUser } },
        );
      }
      await trx
        .insertInto('filter_rules')
        .values({
          id,
          user_id: userId,
          subscription_id: input.subscriptionId,
          action: input.action,
          fields: JSON.stringify(input.fields),
          keywords: JSON.stringify(input.keywords),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    const created = await this.find(userId, id);
    if (created === undefined) throw new Error('filter rule store: a created rule is missing');
    return created;
  }

  /** False if the user has no such rule. */
  async update(userId: string, id: string, changes: UpdateRuleInput, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const set: Partial<Selectable<FilterRulesTable>> = { updated_at: now };
      if (changes.action !== undefined) set.action = changes.action;
      if (changes.subscriptionId !== undefined) set.subscription_id = changes.subscriptionId;
      if (changes.fields !== undefined) set.fields = JSON.stringify(changes.fields);
      if (changes.keywords !== undefined) set.keywords = JSON.stringify(changes.keywords);
      const result = await trx
        .updateTable('filter_rules')
        .set(set)
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await forgetHits(trx, [id]);
      return true;
    });
  }

  async delete(userId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const owned = await trx
        .selectFrom('filter_rules')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (owned === undefined) return false;
      await forgetHits(trx, [id]);
      await trx.deleteFrom('filter_rules').where('id', '=', id).execute();
      return true;
    });
  }
}

/**
 * Drops rules' computed hits and coverage. Explicit rather than left to ON DELETE CASCADE:
 * account deletion runs on Gatehouse's own connection, which may not enforce foreign keys.
 */
export async function forgetHits(db: Kysely<ReaderDatabase>, ruleIds: readonly string[]): Promise<void> {
  if (ruleIds.length === 0) return;
  await db.deleteFrom('filter_hits').where('rule_id', 'in', ruleIds).execute();
  await db.deleteFrom('filter_coverage').where('rule_id', 'in', ruleIds).execute();
}

/** Deletes every rule of a user with what was computed for them (account deletion). */
export async function deleteUserRules(db: Kysely<ReaderDatabase>, userId: string): Promise<void> {
  const ids = db.selectFrom('filter_rules').select('id').where('user_id', '=', userId);
  await db.deleteFrom('filter_hits').where('rule_id', 'in', ids).execute();
  await db.deleteFrom('filter_coverage').where('rule_id', 'in', ids).execute();
  await db.deleteFrom('filter_rules').where('user_id', '=', userId).execute();
}

export function toRule(row: Selectable<FilterRulesTable>): FilterRule {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    action: storedAction(row.action),
    fields: parseList(row.fields).filter((field): field is MatchField =>
      (MATCH_FIELDS as readonly string[]).includes(field),
    ),
    keywords: parseList(row.keywords),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function storedAction(value: string): FilterAction {
  const action = FILTER_ACTIONS.find((known) => known === value);
  // Only validated actions are written: anything else is a damaged row, not a guess to make.
  if (action === undefined) throw new Error(`filter rule store: unknown action ${value}`);
  return action;
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
