import { discard, errorFromResponse, problemCode, problemOf } from './errors.js';
import type { Reauthentication, ReauthenticationAttempt, StepUpMethod } from './types.js';

/**
 * The app's prompt: the answer (the password as a string, or the password with a code, or a
 * passkey assertion), or null/undefined when the user gave up.
 */
export type ReauthenticationPrompt = (attempt: ReauthenticationAttempt) => Promise<Reauthentication | null | undefined>;

interface StepUpOptions {
  prompt: ReauthenticationPrompt | undefined;
  /** One POST /reauthenticate with this body (credentials and CSRF handled by the caller). */
  reauthenticate: (body: Exclude<Reauthentication, string>) => Promise<Response>;
}

/** What a `reauthentication_required` answer asks for. */
type Need = Pick<ReauthenticationAttempt, 'factorRequired' | 'methods'>;

/** A wrong answer gets two more chances; after that the request fails as it was answered. */
const MAX_ATTEMPTS = 3;

const STEP_UP_METHODS: readonly string[] = ['password', 'totp', 'passkey', 'recovery_code'];

/**
 * Step-up re-authentication: sensitive routes answer `403 reauthentication_required` when
 * the password (and, for some actions, a second factor) was last proven too long ago on this
 * session. Rather than every app handling that on every call, the client asks the app's
 * prompt, renews the window and sends the request again, once.
 */
export function createStepUp(options: StepUpOptions) {
  // Requests refused together share one prompt: the user answers once.
  let inFlight: Promise<boolean> | undefined;

  async function promptAndRenew(prompt: ReauthenticationPrompt, need: Need): Promise<boolean> {
    let error: ReauthenticationAttempt['error'];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const answer = await prompt({
        attempt,
        maxAttempts: MAX_ATTEMPTS,
        ...need,
        ...(error === undefined ? {} : { error }),
      });
      if (answer === null || answer === undefined) return false;
      const response = await options.reauthenticate(typeof answer === 'string' ? { password: answer } : answer);
      if (response.ok) {
        await discard(response);
        return true;
      }
      // The session is gone (the client has signed the tab out): no password brings it back.
      if (response.status === 401 && (await problemCode(response)) === 'unauthenticated') {
        await discard(response);
        return false;
      }
      // A wrong password or code, or a limit reached: the prompt shows why and may try again.
      error = await errorFromResponse(response);
    }
    return false;
  }

  return {
    /**
     * Whether `response` refused the request for want of a recent password (or factor), and
     * the user has now given it: then the caller sends the request once more.
     */
    async renewedAfter(response: Response, body: RequestInit['body']): Promise<boolean> {
      const prompt = options.prompt;
      if (prompt === undefined || response.status !== 403 || !isReplayable(body)) return false;
      const problem = await problemOf(response);
      if (problem.code !== 'reauthentication_required') return false;
      inFlight ??= promptAndRenew(prompt, needOf(problem)).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

/** A server without second factors sends neither member: the password alone, as before. */
function needOf(problem: { factorRequired?: unknown; methods?: unknown }): Need {
  const methods = Array.isArray(problem.methods)
    ? problem.methods.filter((m): m is StepUpMethod => typeof m === 'string' && STEP_UP_METHODS.includes(m))
    : [];
  return {
    factorRequired: problem.factorRequired === true,
    methods: methods.includes('password') ? methods : ['password', ...methods],
  };
}

/** A stream is read as it is sent, so it cannot go a second time; everything else can. */
function isReplayable(body: RequestInit['body']): boolean {
  return typeof ReadableStream === 'undefined' || !(body instanceof ReadableStream);
}
