import { AuthClientError } from '@gatehouse/client';
import { PasskeyError, passkeyMessage } from './passkeyError';
import { describeWait } from './retryWait';

/** What a form shows after a failed call: one sentence, plus messages next to fields. */
export interface Problem {
  /** The server's stable code (or `network`), so a form can offer a next step. */
  code: string;
  message: string;
  /** Per-field messages from `validation_failed`, keyed by the request's field names. */
  fields: Readonly<Record<string, string>>;
}

export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/** One answer for a mail link that is unknown, used, expired or replaced by a newer one. */
export const LINK_EXPIRED = 'This link has expired or was already used.';

/** A signed-in call answered 401: the session expired or was revoked elsewhere. */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof AuthClientError && error.status === 401 && error.code === 'unauthenticated';
}

export function describeError(error: unknown): Problem {
  if (error instanceof PasskeyError)
    return { code: `passkey_${error.kind}`, message: passkeyMessage(error), fields: {} };
  if (!(error instanceof AuthClientError)) {
    // fetch itself failed: offline, DNS, the server is down.
    return { code: 'network', message: 'Could not reach the server. Check your connection and try again.', fields: {} };
  }
  const problem = (message: string): Problem => ({ code: error.code, message, fields: error.fields ?? {} });
  switch (error.code) {
    case 'invalid_credentials':
      return problem('The email or password is incorrect.');
    case 'rate_limited':
      return problem(tooManyAttempts(error.retryAfterSeconds));
    case 'email_taken':
      return problem('An account with this email already exists.');
    case 'invalid_token':
      return problem(LINK_EXPIRED);
    case 'reauthentication_required':
      return problem('For your security, this needs your password. Try again and enter it when asked.');
    case 'invalid_second_factor':
      return problem(wrongCode(error.attemptsLeft));
    case 'sign_in_expired':
      return problem(
        error.reason === 'too_many_attempts'
          ? 'Too many wrong codes. Enter your password to sign in again.'
          : 'This sign-in has expired. Enter your password again.',
      );
    case 'csrf_failed':
      // The server's detail is for developers (which header, which route); a reader needs
      // what to do (issue 15). A token gone stale was already retried once by the client;
      // what is left is a page from another address, or cookies blocked.
      return problem(
        "We couldn't confirm this request came from this page. Reload the page and try again; if it keeps happening, open the reader at its usual address and make sure cookies are allowed for it.",
      );
    case 'email_verification_required':
      return problem(
        'Confirm your email address first: open the link we sent you, or send a new one from your account page.',
      );
    default:
      // validation_failed included: its detail summarizes the fields shown inline.
      return problem(error.detail);
  }
}

/** A wrong authentication or recovery code, and how many tries this sign-in has left. */
function wrongCode(attemptsLeft: number | undefined): string {
  if (attemptsLeft === undefined || attemptsLeft < 1) return 'That code is incorrect.';
  if (attemptsLeft === 1) return 'That code is incorrect. You have 1 try left.';
  return `That code is incorrect. You have ${String(attemptsLeft)} tries left.`;
}

function tooManyAttempts(seconds: number | undefined): string {
  if (seconds === undefined) return 'Too many attempts. Try again later.';
  // People think in minutes: "try again in 58 minutes", not "in 3459 seconds".
  return `Too many attempts. Try again in ${describeWait(seconds)}.`;
}

/** The inline message for one field, as a sentence: "Password must be at least 8 characters." */
export function fieldError(problem: Problem | undefined, field: string, noun: string): string | undefined {
  const message = problem?.fields[field]?.replace(/\.$/, '');
  if (message === undefined) return undefined;
  // A whole sentence is said once: the summary above may already be it.
  if (/^\p{Lu}/u.test(message) && problem?.message.includes(message) === true) return undefined;
  return sentence(noun, message);
}

/** A fragment ("must be at least 8 characters") with its noun, as a sentence; a sentence as it is. */
export function sentence(noun: string, message: string): string {
  const trimmed = message.replace(/\.$/, '');
  return /^\p{Lu}/u.test(trimmed) ? `${trimmed}.` : `${noun} ${trimmed}.`;
}
