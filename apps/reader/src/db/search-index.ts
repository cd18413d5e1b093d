import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';

/**
 * Full-text search over items, and the only module with SQLite-specific SQL: an FTS5 table
 * whose rowid is items.id. The trigram tokenizer matches any substring of three or more
 * characters, which also works for Chinese and Japanese text that has no spaces between
 * words (the unicode61 tokenizer would see a whole sentence as one word). Shorter terms
 * fall back to LIKE over the same table. PostgreSQL full-text (tsvector + GIN index) is
 * the scale-out issue's: it replaces this module.
 */

const MAX_TERMS = 10;
const MAX_TERM_LENGTH = 100;
const TRIGRAM = 3;

export async function createSearchIndex(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE item_search USING fts5(title, author, body, tokenize = 'trigram')`.execute(db);
}

export async function dropSearchIndex(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS item_search`.execute(db);
}

export interface SearchableItem {
  id: number;
  title: string;
  author: string | null;
  /** Plain text, not HTML: markup must not be searchable. */
  body: string;
}

/** Adds or replaces an item's entry; call inside the transaction that writes the item. */
export async function indexItem(db: Kysely<unknown>, item: SearchableItem): Promise<void> {
  await sql`DELETE FROM item_search WHERE rowid = ${item.id}`.execute(db);
  await sql`INSERT INTO item_search (rowid, title, author, body)
            VALUES (${item.id}, ${item.title}, ${item.author ?? ''}, ${item.body})`.execute(db);
}

/**
 * The user's words, split on white space; every term must match (AND). NUL splits words
 * too: FTS5 reads its query as a C string, so a NUL inside a quoted phrase ends it there, an
 * "unterminated string" syntax error (a 500 the reader fuzz found).
 */
export function searchTerms(query: string): string[] {
  return (
    query
      // eslint-disable-next-line no-control-regex -- NUL is exactly the character meant
      .split(/[\s\u0000]+/u)
      .filter((term) => term !== '')
      .slice(0, MAX_TERMS)
      .map((term) => Array.from(term).slice(0, MAX_TERM_LENGTH).join(''))
  );
}

/**
 * A condition on `items.id` that holds when the item matches every term. User text never
 * reaches FTS5's query syntax unquoted (an unbalanced quote or a bare `NEAR(` would be a
 * syntax error, that is a 500): each term becomes a quoted phrase, and LIKE patterns have
 * their wildcards escaped.
 */
export function itemMatches(query: string): Expression<SqlBool> | undefined {
  const terms = searchTerms(query);
  if (terms.length === 0) return undefined;
  const conditions = terms.map((term) => {
    if (Array.from(term).length >= TRIGRAM) {
      const phrase = `"${term.replaceAll('"', '""')}"`;
      return sql<SqlBool>`items.id IN (SELECT rowid FROM item_search WHERE item_search MATCH ${phrase})`;
    }
    const pattern = `%${term.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
    return sql<SqlBool>`items.id IN (SELECT rowid FROM item_search
      WHERE title LIKE ${pattern} ESCAPE '\\' OR author LIKE ${pattern} ESCAPE '\\' OR body LIKE ${pattern} ESCAPE '\\')`;
  });
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

/**
 * The plain text the index keeps of each item's content, by id: what filter rules match
 * (filters/), the same text ingest indexed, without turning HTML into text again.
 */
export async function indexedContentTexts(db: Kysely<unknown>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: number; body: string }>`SELECT rowid AS id, body FROM item_search
    WHERE rowid IN (${sql.join(ids)})`.execute(db);
  return new Map(rows.map((row) => [row.id, row.body]));
}
