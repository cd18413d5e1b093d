import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { tagKey } from './tag-name.js';

/** Holds for an item of `items` that the user has tagged with the tag of that name. */
export function itemHasTag(userId: string, name: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM item_tags AS it INNER JOIN tags AS t ON t.id = it.tag_id
    WHERE it.item_id = items.id AND it.user_id = ${userId} AND t.user_id = ${userId} AND t.name_key = ${tagKey(name)})`;
}

const TAG_TERM = 'tag:';

/**
 * Splits a search into its `tag:name` terms and the words left for full-text search.
 * `tag:"two words"` names a tag with a space in it. Every tag named must be on the item.
 */
export function splitTagTerms(query: string): { tags: string[]; text: string } {
  const tags: string[] = [];
  const words: string[] = [];
  let rest = query;
  for (;;) {
    rest = rest.trimStart();
    if (rest === '') break;
    if (rest.slice(0, TAG_TERM.length).toLowerCase() === TAG_TERM) {
      const after = rest.slice(TAG_TERM.length);
      const quoted = after.startsWith('"') ? after.indexOf('"', 1) : -1;
      const end = quoted > 0 ? quoted + 1 : wordEnd(after);
      const name = quoted > 0 ? after.slice(1, quoted) : after.slice(0, end);
      if (name.trim() !== '') tags.push(name);
      rest = after.slice(end);
      continue;
    }
    const end = wordEnd(rest);
    words.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  return { tags, text: words.join(' ') };
}

function wordEnd(text: string): number {
  const match = /\s/u.exec(text);
  return match === null ? text.length : match.index;
}
