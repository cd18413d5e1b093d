import type { z } from 'zod';

/**
 * A stable code for what is wrong with one field, sent beside the English text of
 * `errors` (`fieldCodes` in the problem body), so a client can say it in the reader's
 * language; `limit` is the bound the value broke, where there is one.
 */
export interface FieldCode {
  code:
    | 'required'
    | 'not_text'
    | 'not_boolean'
    | 'not_number'
    | 'wrong_type'
    | 'empty'
    | 'too_short'
    | 'too_long'
    | 'too_small'
    | 'too_big'
    | 'too_few'
    | 'too_many'
    | 'not_allowed'
    | 'invalid_format'
    | 'invalid';
  limit?: number;
}

type Issue = z.core.$ZodIssue;

const EXPECTED: Readonly<Record<string, FieldCode['code']>> = {
  string: 'not_text',
  boolean: 'not_boolean',
  number: 'not_number',
  int: 'not_number',
};

const SMALL: Readonly<Record<string, FieldCode['code']>> = {
  string: 'too_short',
  number: 'too_small',
  array: 'too_few',
};
const BIG: Readonly<Record<string, FieldCode['code']>> = { string: 'too_long', number: 'too_big', array: 'too_many' };

/** The value the issue is about: `undefined` when the body leaves the field out. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function codeOf(issue: Issue, input: unknown): FieldCode {
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return { code: 'required' };
      return { code: EXPECTED[issue.expected] ?? 'wrong_type' };
    case 'too_small': {
      const limit = Number(issue.minimum);
      // "at least 1 character" is "empty" to a person: there is nothing to count.
      if (issue.origin === 'string' && limit <= 1) return { code: 'empty' };
      return { code: SMALL[issue.origin] ?? 'invalid', limit };
    }
    case 'too_big':
      return { code: BIG[issue.origin] ?? 'invalid', limit: Number(issue.maximum) };
    case 'invalid_value':
      return { code: 'not_allowed' };
    case 'invalid_format':
      return { code: 'invalid_format' };
    default:
      return { code: 'invalid' };
  }
}

/**
 * One code per field, for the same issue whose message `parseInput` (Gatehouse core) puts in
 * `errors`: the first one reported for that field.
 */
export function fieldCodes(issues: readonly Issue[], input: unknown): Record<string, FieldCode> {
  // A Map, then own properties: a field named "__proto__" stays a field.
  const codes = new Map<string, FieldCode>();
  for (const issue of issues) {
    const field = issue.path.join('.') || 'body';
    if (!codes.has(field)) codes.set(field, codeOf(issue, input));
  }
  return Object.fromEntries(codes);
}
