import { GatehouseError } from '@gatehouse/core';
import { currentAuth, readJsonBody, type GatehouseEnv } from '@gatehouse/hono';
import type { Context } from 'hono';
import type { z } from 'zod';

/** The signed-in user's id, or 401. GET needs 'read', everything else 'write'. */
export function userIdOf(c: Context<GatehouseEnv>): string {
  const scope = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write';
  return currentAuth(c, scope).user.id;
}

/** Validates `input` or throws 400 validation_failed naming each bad field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'body';
    fields[field] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field} ${message}`)
    .join('; ');
  throw new GatehouseError('validation_failed', `Invalid input: ${summary}.`, { fields });
}

/** A JSON object body (415 for another media type, 400 for bad JSON), validated. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body = await readJsonBody(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatehouseError('validation_failed', 'The request body must be a JSON object.');
  }
  return parseWith(schema, body);
}

export function notFound(what: string): GatehouseError {
  return new GatehouseError('not_found', `No such ${what}.`);
}
