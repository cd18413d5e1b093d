/** Members a problem may carry beyond `code` and `detail` (RFC 9457 extensions). */
export interface ProblemExtensions {
  /** `invalid_second_factor`: wrong answers left before the pending sign-in ends. */
  attemptsLeft?: number;
  /** `sign_in_expired`: `expired` (enter the password again) or `too_many_attempts`. */
  reason?: string;
}

/** A problem+json answer from the server, as a typed error the UI can switch on. */
export class AuthClientError extends Error {
  override readonly name = 'AuthClientError';
  /** See ProblemExtensions; undefined when the problem does not carry it. */
  readonly attemptsLeft: number | undefined;
  readonly reason: string | undefined;

  constructor(
    readonly status: number,
    /** The contract's stable code: `invalid_credentials`, `rate_limited`, `csrf_failed`… */
    readonly code: string,
    readonly detail: string,
    readonly retryAfterSeconds?: number,
    readonly fields?: Readonly<Record<string, string>>,
    extensions: ProblemExtensions = {},
  ) {
    super(detail);
    this.attemptsLeft = extensions.attemptsLeft;
    this.reason = extensions.reason;
  }
}

/** A problem body as received: any member may be missing or of the wrong type. */
export interface ProblemLike {
  code?: unknown;
  detail?: unknown;
  errors?: unknown;
  attemptsLeft?: unknown;
  reason?: unknown;
  factorRequired?: unknown;
  methods?: unknown;
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
    {
      ...(Number.isInteger(problem.attemptsLeft) ? { attemptsLeft: problem.attemptsLeft as number } : {}),
      ...(typeof problem.reason === 'string' ? { reason: problem.reason } : {}),
    },
  );
}

/** The problem body of a response, read from a clone so the caller can still use the body. */
export async function problemOf(response: Response): Promise<ProblemLike> {
  const problem = (await response
    .clone()
    .json()
    .catch(() => ({}))) as unknown;
  return typeof problem === 'object' && problem !== null ? problem : {};
}

/** The problem `code` of a response, read from a clone so the caller can still use the body. */
export async function problemCode(response: Response): Promise<string | undefined> {
  const { code } = await problemOf(response);
  return typeof code === 'string' ? code : undefined;
}

/** Frees the connection of a response nobody will read. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
