import { isGatehouseError } from '@gatehouse/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ReaderLog } from '../../service/log.js';

/**
 * Errors in the Google Reader dialect: plain text, `Error=<Code>` on the first line (the
 * ClientLogin convention clients already parse), an `Info=` line a person can read when
 * there is more to say. Codes are stable; clients and tests match on them. A 401 says only
 * `Unauthorized`: which check failed goes to the log, never to the client.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly status: 400 | 401 | 404 | 413 | 415 | 429,
    readonly code: string,
    readonly info?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`greader: ${code}${info === undefined ? '' : ` (${info})`}`);
  }
}

export function badRequest(code: string, info?: string): ProtocolError {
  return new ProtocolError(400, code, info);
}

/** Well-formed but names nothing this user has (a feed they do not read, a missing folder). */
export function unknownStream(streamId: string): ProtocolError {
  return new ProtocolError(404, 'UnknownStream', `No stream ${oneLine(streamId)} for this account.`);
}

/**
 * No usable credential. `badToken`: the credential was good but the POST's `T` was not:
 * Google Reader's header tells the client to fetch a new token and retry.
 */
export function unauthorized(badToken = false): ProtocolError {
  return new ProtocolError(401, 'Unauthorized', undefined, badToken ? { 'X-Reader-Google-Bad-Token': 'true' } : {});
}

export function protocolResponse(c: Context, error: ProtocolError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  // A 413 leaves the rest of the body on the socket: close, as the problem handler does.
  if (error.status === 413) c.header('Connection', 'close');
  // Google Reader's own word for a refused credential; ClientLogin's is an Error= line.
  if (error.code === 'Unauthorized') return c.text('Unauthorized\n', 401);
  const info = error.info === undefined ? '' : `Info=${oneLine(error.info)}\n`;
  return c.text(`Error=${error.code}\n${info}`, error.status);
}

/**
 * The one place a failure becomes a response under /api/greader. Gatehouse's own errors
 * (rate limits from ClientLogin) and Hono's (the body limit) keep their status in our
 * dialect; anything else is our bug: logged, and a bare 500.
 */
export function protocolErrorHandler(log: ReaderLog): ErrorHandler {
  return (error, c) => {
    if (error instanceof ProtocolError) return protocolResponse(c, error);
    if (isGatehouseError(error)) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
      if (error.code === 'rate_limited') return protocolResponse(c, new ProtocolError(429, 'RateLimited'));
      if (error.code === 'payload_too_large') return protocolResponse(c, new ProtocolError(413, 'PayloadTooLarge'));
      if (error.status === 401) return protocolResponse(c, unauthorized());
    }
    if (error instanceof HTTPException && error.status === 413) {
      return protocolResponse(c, new ProtocolError(413, 'PayloadTooLarge', 'Request bodies are limited to 64 KiB.'));
    }
    log.error({ err: error, method: c.req.method, path: c.req.path }, 'greader: unhandled error');
    return c.text('Error=InternalError\n', 500);
  };
}

/** Info lines are one line: a newline in echoed input must not forge another field. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/gu, ' ').slice(0, 300);
}
