/** A problem+json answer from the server, as a typed error the UI can switch on. */
export class AuthClientError extends Error {
  override readonly name = 'AuthClientError';

  constructor(
    readonly status: number,
    /** The contract's stable code: `invalid_credentials`, `rate_limited`, `csrf_failed`… */
    readonly code: string,
    readonly detail: string,
    readonly retryAfterSeconds?: number,
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(detail);
  }
}

interface ProblemLike {
  code?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** Reads a failed response (problem+json or not) into an AuthClientError; consumes the body. */
export async function errorFromResponse(response: Response): Promise<AuthClientError> {
  let problem: ProblemLike = {};
  try {
    problem = (await response.json()) as ProblemLike;
  } catch {
    // Not JSON (a proxy's error page, say): keep the status alone.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new AuthClientError(
    response.status,
    typeof problem.code === 'string' ? problem.code : 'http_error',
    typeof problem.detail === 'string' ? problem.detail : `Request failed with status ${String(response.status)}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    typeof problem.errors === 'object' && problem.errors !== null
      ? (problem.errors as Record<string, string>)
      : undefined,
  );
}

/** The problem `code` of a response, read from a clone so the caller can still use the body. */
export async function problemCode(response: Response): Promise<string | undefined> {
  const problem = (await response
    .clone()
    .json()
    .catch(() => ({}))) as ProblemLike;
  return typeof problem.code === 'string' ? problem.code : undefined;
}

/** Frees the connection of a response nobody will read. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
