/**
 * One error type for everything Gatehouse refuses. The `code` is part of the HTTP contract
 * (DESIGN.md): clients and tests switch on it, so it comes from a closed union and never
 * changes meaning. Adapters turn a GatehouseError into a problem+json response in one place.
 */
export type GatehouseErrorCode =
  | 'unauthenticated'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'invalid_credentials'
  | 'validation_failed'
  | 'email_taken'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'token_reused'
  | 'store_unavailable'
  | 'reauthentication_required'
  | 'invalid_token'
  | 'email_verification_required'
  | 'invalid_second_factor'
  | 'sign_in_expired'
  | 'conflict'
  /** The reader could not fetch or read an item's linked page (a site's failure, not the client's). */
  | 'full_text_unavailable';

export const STATUS_BY_CODE: Readonly<Record<GatehouseErrorCode, number>> = {
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  invalid_credentials: 401,
  validation_failed: 400,
  email_taken: 409,
  unsupported_media_type: 415,
  payload_too_large: 413,
  token_reused: 401,
  store_unavailable: 503,
  reauthentication_required: 403,
  invalid_token: 400,
  email_verification_required: 403,
  invalid_second_factor: 401,
  sign_in_expired: 401,
  conflict: 409,
  full_text_unavailable: 422,
};

/** Human titles for problem+json; the `detail` carries the specific, still-safe message. */
export const TITLE_BY_CODE: Readonly<Record<GatehouseErrorCode, string>> = {
  unauthenticated: 'Authentication required',
  csrf_failed: 'CSRF check failed',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  rate_limited: 'Too many requests',
  invalid_credentials: 'Invalid credentials',
  validation_failed: 'Invalid request',
  email_taken: 'Email already registered',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'Request body too large',
  token_reused: 'Refresh token reused',
  store_unavailable: 'Service temporarily unavailable',
  reauthentication_required: 'Confirm it is you',
  invalid_token: 'Invalid or expired link',
  email_verification_required: 'Email address not verified',
  invalid_second_factor: 'Second factor not accepted',
  sign_in_expired: 'Sign-in expired',
  conflict: 'Conflict',
  full_text_unavailable: 'Full text unavailable',
};

export interface GatehouseErrorOptions {
  cause?: unknown;
  /** Seconds until the client may retry; becomes `Retry-After`. */
  retryAfterSeconds?: number;
  /** Field-level problems for `validation_failed`. */
  fields?: Record<string, string>;
  /** Set-Cookie values the error response must carry (e.g. clearing a dead refresh cookie). */
  cookies?: string[];
  /** Extra members of the problem body (RFC 9457 §3.2), e.g. `attemptsLeft`. Never secrets. */
  extensions?: Record<string, unknown>;
}

export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  readonly code: GatehouseErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;
  readonly fields: Record<string, string> | undefined;
  readonly cookies: readonly string[];
  readonly extensions: Readonly<Record<string, unknown>> | undefined;

  constructor(code: GatehouseErrorCode, detail: string, options: GatehouseErrorOptions = {}) {
    super(`${code}: ${detail}`, { cause: options.cause });
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.detail = detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fields = options.fields;
    this.cookies = options.cookies ?? [];
    this.extensions = options.extensions;
  }
}

export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof GatehouseError;
}

/** The problem+json body (RFC 9457) for an error; the only shape errors leave the server in. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: GatehouseErrorCode;
  detail: string;
  errors?: Record<string, string>;
  [extension: string]: unknown;
}

export function toProblem(error: GatehouseError): ProblemBody {
  const body: ProblemBody = {
    ...error.extensions,
    type: `https://gatehouse.dev/problems/${error.code}`,
    title: TITLE_BY_CODE[error.code],
    status: error.status,
    code: error.code,
    detail: error.detail,
  };
  if (error.fields) body.errors = error.fields;
  return body;
}
