import { GatehouseError } from '@gatehouse/core';
import type { Context } from 'hono';

/**
 * The JSON body of a request, or a clear 4xx. Only application/json is accepted: a form or
 * text/plain body (what a cross-site <form> can send without a preflight) gets 415 before
 * anything else looks at it.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new GatehouseError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (error) {
    throw new GatehouseError('validation_failed', 'The request body could not be read.', { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatehouseError('validation_failed', 'The request body is not valid JSON.');
  }
}
