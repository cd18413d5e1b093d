import { GatehouseError } from '@gatehouse/core';
import type { Context } from 'hono';
import { readJsonBody } from './json-body.js';

/**
 * The body of an OAuth-style request (RFC 7009 revocation): JSON like the rest of the
 * contract, or the form encoding RFC 6749 §3.2 clients send. Only for routes that read no
 * ambient credential: a form is what a cross-site <form> can post without a preflight, which
 * is why every other route refuses it (json-body.ts); here it can carry nothing but a token
 * its sender already holds.
 */
export async function readJsonOrFormBody(c: Context): Promise<unknown> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return readJsonBody(c);
  if (mediaType !== 'application/x-www-form-urlencoded') {
    throw new GatehouseError(
      'unsupported_media_type',
      'Send the body as JSON (application/json) or as a form (application/x-www-form-urlencoded).',
    );
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (error) {
    throw new GatehouseError('validation_failed', 'The request body could not be read.', { cause: error });
  }
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    // RFC 6749 §3.2: parameters MUST NOT be repeated; which copy would count is ambiguous.
    if (fields.has(name)) throw new GatehouseError('validation_failed', 'A form parameter is sent more than once.');
    fields.set(name, value);
  }
  return Object.fromEntries(fields);
}
