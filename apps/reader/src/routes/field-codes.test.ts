import { GatehouseError, toProblem } from '@gatehouse/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { fieldCodes } from './field-codes.js';
import { validInput } from './input.js';

// Issue 19: the reader's problems say what is wrong with a field as a stable code beside the
// English text, so the web app can say it in Chinese; the English stays as it was.

const Schema = z.object({
  name: z.string({ message: 'is required' }).trim().min(1, 'must not be empty').max(5, 'must be at most 5 characters'),
  flag: z.boolean({ message: 'must be true or false' }).optional(),
  kind: z.enum(['a', 'b'], { message: 'must be a or b' }).optional(),
  count: z.number({ message: 'must be a number' }).int().min(2).max(9).optional(),
  tags: z.array(z.string()).max(2).optional(),
  at: z.iso.datetime({ message: 'must be a time' }).optional(),
});

function refusal(input: unknown) {
  try {
    validInput(Schema, input);
  } catch (error) {
    if (error instanceof GatehouseError) return toProblem(error);
    throw error;
  }
  throw new Error('accepted');
}

describe('validInput', () => {
  it.each([
    ['a missing field', {}, 'name', { code: 'required' }],
    ['an empty one', { name: '  ' }, 'name', { code: 'empty' }],
    ['text too long', { name: 'abcdefg' }, 'name', { code: 'too_long', limit: 5 }],
    ['a number for text', { name: 7 }, 'name', { code: 'not_text' }],
    ['text for a boolean', { name: 'ok', flag: 'yes' }, 'flag', { code: 'not_boolean' }],
    ['a value not in the list', { name: 'ok', kind: 'c' }, 'kind', { code: 'not_allowed' }],
    ['a number too small', { name: 'ok', count: 1 }, 'count', { code: 'too_small', limit: 2 }],
    ['a number too big', { name: 'ok', count: 10 }, 'count', { code: 'too_big', limit: 9 }],
    ['a fraction for a whole number', { name: 'ok', count: 2.5 }, 'count', { code: 'not_number' }],
    ['too many items', { name: 'ok', tags: ['x', 'y', 'z'] }, 'tags', { code: 'too_many', limit: 2 }],
    ['a badly formed time', { name: 'ok', at: 'noon' }, 'at', { code: 'invalid_format' }],
  ])('codes %s', (_name, input, field, code) => {
    const problem = refusal(input);
    expect(problem.code).toBe('validation_failed');
    expect(problem.fieldCodes).toEqual({ [field]: code });
  });

  it('keeps the English detail and field texts as parseInput writes them', () => {
    const problem = refusal({ name: 'abcdefg', flag: 1 });
    expect(problem.detail).toBe('Invalid input: name must be at most 5 characters; flag must be true or false.');
    expect(problem.errors).toEqual({ name: 'must be at most 5 characters', flag: 'must be true or false' });
    expect(Object.keys(problem.fieldCodes as object)).toEqual(['name', 'flag']);
  });

  it('codes a field named __proto__ as a field, without touching the prototype', () => {
    const issue = { code: 'invalid_type', expected: 'string', path: ['__proto__'], message: 'is required', input: 1 };
    const codes = fieldCodes([issue as z.core.$ZodIssue], JSON.parse('{"__proto__": 1}'));
    expect(Object.getPrototypeOf(codes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(codes, '__proto__')?.value).toEqual({ code: 'not_text' });
  });

  it('passes a body that is not an object through as parseInput refuses it', () => {
    const problem = refusal([]);
    expect(problem.detail).toBe('The request body must be a JSON object.');
    expect(problem.fieldCodes).toBeUndefined();
  });
});

describe('the reader API', () => {
  let server: ReaderTestServer;
  beforeAll(async () => {
    server = await startReaderTestServer({ fetchPolicy: { allowHosts: [] } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends fieldCodes beside the English errors of a refused folder name', async () => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail('codes'), GOOD_PASSWORD)).status).toBe(201);
    const response = await browser.request('POST', '/api/folders', { json: { name: 'x'.repeat(101) } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      errors: { name: 'must be at most 100 characters' },
      fieldCodes: { name: { code: 'too_long', limit: 100 } },
    });
  });
});
