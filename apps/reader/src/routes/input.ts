import { GatehouseError, parseInput } from '@gatehouse/core';
import { currentAuth, readJsonBody, type GatehouseEnv } from '@gatehouse/hono';
import type { Context } from 'hono';
import type { z } from 'zod';

/** The signed-in user's id, or 401. GET needs 'read', everything else 'write'. */
export function userIdOf(c: Context<GatehouseEnv>): string {
  const scope = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write';
  return currentAuth(c, scope).user.id;
}

/** A JSON object body (415 for another media type, 400 for bad JSON), validated. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  return parseInput(schema, await readJsonBody(c));
}

export function notFound(what: string): GatehouseError {
  return new GatehouseError('not_found', `No such ${what}.`);
}
