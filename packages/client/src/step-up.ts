import { discard, errorFromResponse, problemCode } from './errors.js';
import type { ReauthenticationAttempt } from './types.js';

/** The app's prompt: the password typed, or null/undefined when the user gave up. */
export type ReauthenticationPrompt = (attempt: ReauthenticationAttempt) => Promise<string | null | undefined>;

interface StepUpOptions {
  prompt: ReauthenticationPrompt | undefined;
  /** One POST /reauthenticate with this password (credentials and CSRF handled by the caller). */
  reauthenticate: (password: string) => Promise<Response>;
}

/** A wrong password gets two more chances; after that the request fails as it was answered. */
const MAX_ATTEMPTS = 3;

/**
 * Step-up re-authentication: sensitive routes answer `403 reauthentication_required` when
 * the password was last entered too long ago on this session. Rather than every app
 * handling that on every call, the client asks the app's prompt for the password, renews
 * the window and sends the request again, once.
 */
export function createStepUp(options: StepUpOptions) {
  // Requests refused together share one prompt: the user types the password once.
  let inFlight: Promise<boolean> | undefined;

  async function promptAndRenew(prompt: ReauthenticationPrompt): Promise<boolean> {
    let error: ReauthenticationAttempt['error'];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const password = await prompt({ attempt, maxAttempts: MAX_ATTEMPTS, ...(error === undefined ? {} : { error }) });
      if (password === null || password === undefined) return false;
      const response = await options.reauthenticate(password);
      if (response.ok) {
        await discard(response);
        return true;
      }
      // The session is gone (the client has signed the tab out): no password brings it back.
      if (response.status === 401 && (await problemCode(response)) === 'unauthenticated') {
        await discard(response);
        return false;
      }
      // A wrong password, or a limit reached: the prompt shows why and may try again.
      error = await errorFromResponse(response);
    }
    return false;
  }

  return {
    /**
     * Whether `response` refused the request for want of a recent password, and the user has
     * now given it: then the caller sends the request once more.
     */
    async renewedAfter(response: Response, body: RequestInit['body']): Promise<boolean> {
      const prompt = options.prompt;
      if (prompt === undefined || response.status !== 403 || !isReplayable(body)) return false;
      if ((await problemCode(response)) !== 'reauthentication_required') return false;
      inFlight ??= promptAndRenew(prompt).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

/** A stream is read as it is sent, so it cannot go a second time; everything else can. */
function isReplayable(body: RequestInit['body']): boolean {
  return typeof ReadableStream === 'undefined' || !(body instanceof ReadableStream);
}
