import { z } from 'zod';
import { MAX_PATTERN_UNITS } from './keyword-automaton.js';
import { parseKeyword, tidyKeyword, type MatchField } from './keyword-matcher.js';

/**
 * A filter rule: when an item's title, author or content has one of the keywords, the
 * action applies. Two kinds of action, applied at different times:
 *
 * - `hide` and `keepOnly` decide what lists show, at the time of listing: a new or changed
 *   rule applies to the items already there at once, and a deleted one gives them back.
 *   An item shows unless a hide rule matches it; where keep-only rules apply (the rule's
 *   subscription, or every subscription for a global one), it must also match at least one
 *   of them. A hidden item is left out of every list and count — the web lists, search,
 *   tags, unread counts, the Google Reader and Fever APIs — yet can still be opened or
 *   marked by its id (a sync client that fetched it before the rule must not fail).
 * - `star` and `markRead` set the user's own marks on items that arrive after the rule
 *   exists (checked at ingest, per subscriber): they never touch items already stored.
 *
 * A rule with no subscription applies to all of the user's subscriptions.
 */

export const FILTER_ACTIONS = ['hide', 'keepOnly', 'star', 'markRead'] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];

/** Actions decided when listing; the others act at ingest. */
export const LISTING_ACTIONS: readonly FilterAction[] = ['hide', 'keepOnly'];
export const ARRIVAL_ACTIONS: readonly FilterAction[] = ['star', 'markRead'];

export const MATCH_FIELDS = ['title', 'author', 'content'] as const satisfies readonly MatchField[];

export const FILTER_LIMITS = {
  rulesPerUser: 100,
  keywordsPerRule: 20,
  keywordLength: 100,
} as const;

export interface FilterRule {
  id: string;
  subscriptionId: string | null;
  action: FilterAction;
  fields: MatchField[];
  keywords: string[];
  createdAt: number;
  updatedAt: number;
}

const keyword = z
  .string({ message: 'must be text' })
  .transform(tidyKeyword)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(FILTER_LIMITS.keywordLength, `must be at most ${String(FILTER_LIMITS.keywordLength)} characters`)
      // A lone UTF-16 surrogate (JSON allows "\ud800") is no character at all.
      .refine((value) => !/\p{Cs}/u.test(value), 'must be valid text')
      .refine((value) => parseKeyword(value) !== undefined, 'must have more than * in it')
      // NFKC can lengthen a character many times over ("ﷺ" is 18): the matcher's bound holds.
      .refine((value) => (parseKeyword(value)?.text.length ?? 0) <= MAX_PATTERN_UNITS, 'is too long once normalized'),
  );

const keywords = z
  .array(keyword, { message: 'must be a list of words or phrases' })
  .min(1, 'must have at least one keyword')
  .max(FILTER_LIMITS.keywordsPerRule, `must have at most ${String(FILTER_LIMITS.keywordsPerRule)} keywords`)
  // The same keyword twice (in any case) is once.
  .transform((list) => [...new Map(list.map((word) => [word.toLowerCase(), word])).values()]);

const fields = z
  .array(z.enum(MATCH_FIELDS, { message: 'must be title, author or content' }), {
    message: 'must be a list of title, author, content',
  })
  .min(1, 'must name at least one of title, author, content')
  .max(MATCH_FIELDS.length)
  .transform((list) => MATCH_FIELDS.filter((field) => list.includes(field)));

const action = z.enum(FILTER_ACTIONS, { message: 'must be hide, keepOnly, star or markRead' });
const subscriptionId = z.string({ message: 'must be a subscription id or null' }).min(1).max(100).nullable();

export const CreateRuleInput = z.strictObject({
  action,
  subscriptionId: subscriptionId.default(null),
  fields: fields.default([...MATCH_FIELDS]),
  keywords,
});
export type CreateRuleInput = z.infer<typeof CreateRuleInput>;

export const UpdateRuleInput = z.strictObject({
  action: action.optional(),
  subscriptionId: subscriptionId.optional(),
  fields: fields.optional(),
  keywords: keywords.optional(),
});
export type UpdateRuleInput = z.infer<typeof UpdateRuleInput>;
