/**
 * Aho–Corasick over UTF-16 code units: every occurrence of any of a set of literal patterns
 * in one left-to-right pass. Literal patterns only, no backtracking: the scan takes at most
 * one step forward per code unit plus the failure steps (never more than the steps forward),
 * and then visits the patterns ending at that position, of which there are at most as many
 * as there are distinct pattern lengths. With patterns capped at `MAX_PATTERN_UNITS` a text
 * of n units costs O(n × MAX_PATTERN_UNITS) in the very worst case (a text of "aaaa…" against
 * "a", "aa", "aaa"…) and O(n) in practice, whatever the number of patterns: nothing a
 * feed's author can write makes it hang (a backtracking regular expression could).
 */

/** A pattern ends where the scan is: its id and the index just past its last unit. */
export type OnPattern = (patternId: number, end: number) => boolean;

export const MAX_PATTERN_UNITS = 200;

/** Transitions live in one map keyed by state × 2^16 + code unit: no object per state. */
const UNIT_SPACE = 0x10000;
const ASCII = 0x80;
/** A full ASCII transition table up to this many states (4 MiB); the map beyond. */
const MAX_TABLE_STATES = 8192;

export class KeywordAutomaton {
  private readonly transitions = new Map<number, number>();
  private readonly failure: number[] = [0];
  /** Patterns that end exactly at a state. */
  private readonly outputs: number[][] = [[]];
  /** The nearest state down the failure chain with outputs of its own; 0 for none. */
  private readonly dictionary: number[] = [0];
  private readonly children: number[][] = [[]];
  /**
   * 1 for each code unit some pattern has. Most of a text's units are in no keyword: from
   * any state such a unit leads back to the root, with no look-up at all.
   */
  private readonly usedUnits = new Uint8Array(UNIT_SPACE);
  /**
   * For ASCII units, the next state with failures already followed: one read per unit of
   * English text. Undefined for an automaton too large to tabulate.
   */
  private readonly asciiTable: Int32Array | undefined;
  /** Per state, the first state with outputs on its dictionary chain (itself, if it has some); 0: none. */
  private readonly reported: Int32Array;

  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, id) => {
      if (pattern.length === 0 || pattern.length > MAX_PATTERN_UNITS) {
        throw new Error(`keyword automaton: a pattern must have 1 to ${String(MAX_PATTERN_UNITS)} code units`);
      }
      let state = 0;
      for (let i = 0; i < pattern.length; i += 1) {
        const unit = pattern.charCodeAt(i);
        this.usedUnits[unit] = 1;
        state = this.child(state, unit);
      }
      this.outputs[state]?.push(id);
    });
    const order = this.link();
    this.asciiTable = order.length < MAX_TABLE_STATES ? this.tabulateAscii(order) : undefined;
    this.reported = Int32Array.from(this.outputs, (outputs, state) =>
      outputs.length > 0 ? state : (this.dictionary[state] ?? 0),
    );
  }

  /**
   * Calls `onPattern` for every occurrence, in order of where it ends; stops early when
   * `onPattern` returns true.
   */
  scan(text: string, onPattern: OnPattern): void {
    const { asciiTable: table, usedUnits, reported } = this;
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      if (table !== undefined && unit < ASCII) state = table[state * ASCII + unit] ?? 0;
      else if (usedUnits[unit] === 0) state = 0;
      else state = this.next(state, unit);
      let found = reported[state] ?? 0;
      while (found !== 0) {
        for (const id of this.outputs[found] ?? []) if (onPattern(id, i + 1)) return;
        found = this.dictionary[found] ?? 0;
      }
    }
  }

  private next(from: number, unit: number): number {
    let state = from;
    for (;;) {
      const to = this.transitions.get(state * UNIT_SPACE + unit);
      if (to !== undefined) return to;
      if (state === 0) return 0;
      state = this.failure[state] ?? 0;
    }
  }

  private child(state: number, unit: number): number {
    const key = state * UNIT_SPACE + unit;
    const existing = this.transitions.get(key);
    if (existing !== undefined) return existing;
    const created = this.failure.length;
    this.transitions.set(key, created);
    this.failure.push(0);
    this.outputs.push([]);
    this.dictionary.push(0);
    this.children.push([]);
    this.children[state]?.push(unit);
    return created;
  }

  /**
   * Failure and dictionary links, breadth first so each state's shorter suffixes are done.
   * Returns every state in that order, the root first.
   */
  private link(): number[] {
    const queue: number[] = [];
    for (const unit of this.children[0] ?? []) queue.push(this.transitions.get(unit) ?? 0);
    // An array iterator reads the length at each step: states pushed below are visited too.
    for (const state of queue) {
      for (const unit of this.children[state] ?? []) {
        const child = this.transitions.get(state * UNIT_SPACE + unit) ?? 0;
        // The longest proper suffix of child's text that is also a path from the root.
        const target = this.next(this.failure[state] ?? 0, unit);
        this.failure[child] = target;
        this.dictionary[child] = (this.outputs[target]?.length ?? 0) > 0 ? target : (this.dictionary[target] ?? 0);
        queue.push(child);
      }
    }
    return [0, ...queue];
  }

  /** Breadth first, a state's failure state (shallower) has its row when the state needs it. */
  private tabulateAscii(order: readonly number[]): Int32Array {
    const table = new Int32Array(order.length * ASCII);
    for (const state of order) {
      const fallback = (this.failure[state] ?? 0) * ASCII;
      for (let unit = 0; unit < ASCII; unit += 1) {
        const to = this.transitions.get(state * UNIT_SPACE + unit);
        table[state * ASCII + unit] = to ?? (state === 0 ? 0 : (table[fallback + unit] ?? 0));
      }
    }
    return table;
  }
}
