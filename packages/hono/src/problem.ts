import { GatehouseError, toProblem, type Gatehouse } from '@gatehouse/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** The single place where an error becomes an HTTP response: RFC 9457 problem+json. */
export function problemResponse(c: Context, error: GatehouseError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  // Issue 15, finding 6: a 413 leaves the body unread on the socket. The Node adapter drains
  // it for 0.5 s and then drops the connection without a word, so a keep-alive client's next
  // request on it (sent at once) is read as more of that body and fails with a socket error.
  // Saying so (RFC 9112 §9.6) makes the client open a fresh connection for the next one.
  if (error.code === 'payload_too_large') headers.Connection = 'close';
  for (const cookie of error.cookies) c.header('Set-Cookie', cookie, { append: true });
  return c.body(JSON.stringify(toProblem(error)), error.status as 400, headers);
}

export function problemErrorHandler(gatehouse: Gatehouse): ErrorHandler {
  return (error, c) => {
    if (error instanceof GatehouseError) return problemResponse(c, error);
    if (error instanceof HTTPException) return problemResponse(c, fromHttpException(error));
    // A bug or an outage, not the client's fault: log it (no request body), say nothing more.
    gatehouse.log.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    const problem = {
      type: 'about:blank',
      title: 'Internal server error',
      status: 500,
      code: 'internal_error',
      detail: 'Something went wrong on our side.',
    };
    return c.body(JSON.stringify(problem), 500, { 'Content-Type': 'application/problem+json' });
  };
}

function fromHttpException(error: HTTPException): GatehouseError {
  switch (error.status) {
    case 413:
      return new GatehouseError('payload_too_large', 'The request body is too large.');
    case 401:
      return new GatehouseError('unauthenticated', 'Sign in to continue.');
    case 403:
      return new GatehouseError('forbidden', 'Not allowed.');
    case 404:
      return new GatehouseError('not_found', 'Not found.');
    default:
      return new GatehouseError('validation_failed', error.message || 'The request could not be processed.');
  }
}
