import { KeywordAutomaton } from './keyword-automaton.js';

/**
 * What a filter keyword means, decided here once for ingest and for rules applied to
 * existing items alike:
 *
 * - Case and width do not matter: text and keyword are both NFKC-normalized and lower-cased,
 *   so "AI", "ai" and full-width "ＡＩ" are one word. Runs of white space count as one space,
 *   so a phrase ("machine learning") matches across a line break.
 * - Words of scripts written with spaces (Latin, Cyrillic, Greek…) match whole: "ai" does not
 *   match "said". Scripts written without spaces between words (Chinese, Japanese, Korean,
 *   Thai…) match anywhere, so 广告 matches 这是一条广告. At each end of a keyword the rule
 *   depends on the character there: "AI" matches "AI芯片" (the next character is Chinese).
 * - A `*` at the start or end of a keyword lets the word go on there: "secur*" matches
 *   "security", "*coin" matches "bitcoin". A `*` anywhere else is an ordinary character.
 *
 * No pattern language beyond that: matching is one pass over the text (keyword-automaton.ts).
 */

export type MatchField = 'title' | 'author' | 'content';

export interface MatchableRule {
  fields: readonly MatchField[];
  keywords: readonly string[];
}

export interface MatchableText {
  title: string;
  author: string | null;
  /** The content as plain text (never HTML: markup must not match). */
  content: string;
}

const FIELDS: readonly MatchField[] = ['title', 'author', 'content'];

/** Letters, digits and marks of scripts that put spaces between words (see above). */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}_]/u;

function isSpacedWordCharacter(codePoint: number | undefined): boolean {
  if (codePoint === undefined) return false;
  if (codePoint < 0x80) {
    return (
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      (codePoint >= 0x41 && codePoint <= 0x5a) ||
      codePoint === 0x5f
    );
  }
  const character = String.fromCodePoint(codePoint);
  return WORD_CHARACTER.test(character) && !UNSPACED_SCRIPT.test(character);
}

/** Printable ASCII and ordinary white space: NFKC leaves such text as it is. */
const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/u;

/** Text as the matcher compares it: NFKC, lower case, white space runs as one space. */
export function foldForMatching(text: string): string {
  const normalized = PLAIN_ASCII.test(text) ? text : text.normalize('NFKC');
  // Only runs that are not already one plain space are replaced: most of a text's spaces
  // are single ones, and leaving them be is most of the cost saved.
  return normalized.toLowerCase().replace(/[^\S ]\s*| \s+/gu, ' ');
}

/** A keyword as stored and shown: trimmed, inner white space as one space. */
export function tidyKeyword(keyword: string): string {
  return keyword.trim().replace(/\s+/gu, ' ');
}

interface Pattern {
  text: string;
  /** A `*` at that end: the word may go on. */
  openStart: boolean;
  openEnd: boolean;
}

/** The literal part of a keyword and its open ends; undefined when nothing literal is left. */
export function parseKeyword(keyword: string): Pattern | undefined {
  const folded = foldForMatching(tidyKeyword(keyword));
  let start = 0;
  let end = folded.length;
  while (start < end && folded[start] === '*') start += 1;
  while (end > start && folded[end - 1] === '*') end -= 1;
  const text = folded.slice(start, end).trim();
  return text === '' ? undefined : { text, openStart: start > 0, openEnd: end < folded.length };
}

function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const unit = text.charCodeAt(index - 1);
  if (unit >= 0xdc00 && unit <= 0xdfff && index >= 2) return text.codePointAt(index - 2);
  return unit;
}

function firstCodePoint(text: string): number | undefined {
  return text.codePointAt(0);
}

function lastCodePoint(text: string): number | undefined {
  return codePointBefore(text, text.length);
}

/** One field's keywords from every rule that looks at that field. */
class FieldMatcher {
  private readonly automaton: KeywordAutomaton;
  private readonly patterns: Pattern[] = [];
  /** Per pattern, the rules (indexes) it belongs to. */
  private readonly owners: number[][] = [];

  constructor(keywordsByRule: ReadonlyMap<number, readonly string[]>) {
    const byKey = new Map<string, number>();
    for (const [rule, keywords] of keywordsByRule) {
      for (const keyword of keywords) {
        const pattern = parseKeyword(keyword);
        if (pattern === undefined) continue;
        // One pattern per distinct keyword, however many rules use it: the scan's cost
        // per position stays bounded by keyword lengths, not by the number of rules.
        const key = `${pattern.openStart ? '*' : ''}|${pattern.text}|${pattern.openEnd ? '*' : ''}`;
        let id = byKey.get(key);
        if (id === undefined) {
          id = this.patterns.length;
          byKey.set(key, id);
          this.patterns.push(pattern);
          this.owners.push([]);
        }
        this.owners[id]?.push(rule);
      }
    }
    this.automaton = new KeywordAutomaton(this.patterns.map((pattern) => pattern.text));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Adds to `matched` the rules with a keyword in `text` (already folded). */
  collect(text: string, matched: Set<number>): void {
    const done = new Array<boolean>(this.patterns.length).fill(false);
    let left = this.patterns.length;
    this.automaton.scan(text, (id, end) => {
      const pattern = this.patterns[id];
      if (pattern === undefined || done[id] === true) return false;
      const start = end - pattern.text.length;
      if (!pattern.openStart && isSpacedWordCharacter(firstCodePoint(pattern.text))) {
        if (isSpacedWordCharacter(codePointBefore(text, start))) return false;
      }
      if (!pattern.openEnd && isSpacedWordCharacter(lastCodePoint(pattern.text))) {
        if (isSpacedWordCharacter(text.codePointAt(end))) return false;
      }
      done[id] = true;
      for (const rule of this.owners[id] ?? []) matched.add(rule);
      left -= 1;
      return left === 0;
    });
  }
}

/**
 * A set of rules compiled once, then asked item after item which of them match. A rule
 * matches when any of its keywords is found in any of its fields.
 */
export class RuleMatcher {
  private readonly fields = new Map<MatchField, FieldMatcher>();

  constructor(rules: readonly MatchableRule[]) {
    for (const field of FIELDS) {
      const keywordsByRule = new Map<number, readonly string[]>();
      rules.forEach((rule, index) => {
        if (rule.fields.includes(field)) keywordsByRule.set(index, rule.keywords);
      });
      const matcher = new FieldMatcher(keywordsByRule);
      if (!matcher.empty) this.fields.set(field, matcher);
    }
  }

  /** Which rules (indexes into the constructor's list) match the text. */
  matching(text: MatchableText): Set<number> {
    const matched = new Set<number>();
    for (const [field, matcher] of this.fields) {
      const value = field === 'title' ? text.title : field === 'author' ? (text.author ?? '') : text.content;
      if (value !== '') matcher.collect(foldForMatching(value), matched);
    }
    return matched;
  }
}
