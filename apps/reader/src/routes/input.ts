import { GatehouseError, parseInput } from '@gatehouse/core';
import { currentAuth, readJsonBody, type GatehouseEnv } from '@gatehouse/hono';
import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldCodes } from './field-codes.js';

/** The signed-in user's id, or 401. GET needs 'read', everything else 'write'. */
export function userIdOf(c: Context<GatehouseEnv>): string {
  const scope = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write';
  return currentAuth(c, scope).user.id;
}

/** A JSON object body (415 for another media type, 400 for bad JSON), validated. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  return validInput(schema, await readJsonBody(c));
}

/**
 * `parseInput` (its English `errors` stay as they are), plus `fieldCodes`: per field, a
 * stable code and limit a client can put in the reader's language (see field-codes.ts).
 */
export function validInput<T>(schema: z.ZodType<T>, input: unknown): T {
  try {
    return parseInput(schema, input);
  } catch (error) {
    if (!(error instanceof GatehouseError) || error.fields === undefined) throw error;
    // Only on failure, so the happy path parses once; bodies are small (bodyLimit).
    const issues = schema.safeParse(input).error?.issues ?? [];
    throw new GatehouseError(error.code, error.detail, {
      cause: error,
      fields: error.fields,
      extensions: { ...error.extensions, fieldCodes: fieldCodes(issues, input) },
    });
  }
}

export function notFound(what: string): GatehouseError {
  return new GatehouseError('not_found', `No such ${what}.`);
}
