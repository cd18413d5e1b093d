import { AuthClientError } from '@gatehouse/client';
import { i18n } from './i18n';
import { PasskeyError, passkeyMessage } from './passkeyError';
import { closeSentence, detailText, fieldSentence, fieldTexts, isSentence } from './problemText';
import { describeWait } from './retryWait';

/** What a form shows after a failed call: one sentence, plus messages next to fields. */
export interface Problem {
  /** The server's stable code (or `network`), so a form can offer a next step. */
  code: string;
  message: string;
  /** Per-field messages from `validation_failed`, keyed by the request's field names, in the page's language. */
  fields: Readonly<Record<string, string>>;
}

/*
 * Messages are said in the page's language when they are made: functions, not constants,
 * so a language chosen after the page loaded is the one they speak.
 */

export function sessionEndedNotice(): string {
  return i18n.t('problems:sessionEnded');
}

/** One answer for a mail link that is unknown, used, expired or replaced by a newer one. */
export function linkExpired(): string {
  return i18n.t('problems:linkExpired');
}

/** A signed-in call answered 401: the session expired or was revoked elsewhere. */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof AuthClientError && error.status === 401 && error.code === 'unauthenticated';
}

export function describeError(error: unknown): Problem {
  if (error instanceof PasskeyError)
    return { code: `passkey_${error.kind}`, message: passkeyMessage(error), fields: {} };
  if (!(error instanceof AuthClientError)) {
    // fetch itself failed: offline, DNS, the server is down.
    return { code: 'network', message: i18n.t('problems:network'), fields: {} };
  }
  const problem = (message: string): Problem => ({ code: error.code, message, fields: fieldTexts(error) });
  switch (error.code) {
    case 'invalid_credentials':
      return problem(i18n.t('problems:invalidCredentials'));
    case 'rate_limited':
      return problem(tooManyAttempts(error.retryAfterSeconds));
    case 'email_taken':
      return problem(i18n.t('problems:emailTaken'));
    case 'invalid_token':
      return problem(linkExpired());
    case 'reauthentication_required':
      return problem(i18n.t('problems:reauthenticationRequired'));
    case 'invalid_second_factor':
      return problem(wrongCode(error.attemptsLeft));
    case 'sign_in_expired':
      return problem(
        error.reason === 'too_many_attempts'
          ? i18n.t('problems:signInExpired.tooManyAttempts')
          : i18n.t('problems:signInExpired.expired'),
      );
    case 'csrf_failed':
      // The server's detail is for developers (which header, which route); a reader needs
      // what to do (issue 15). A token gone stale was already retried once by the client;
      // what is left is a page from another address, or cookies blocked.
      return problem(i18n.t('problems:csrfFailed'));
    case 'email_verification_required':
      return problem(i18n.t('problems:emailVerificationRequired'));
    default:
      // validation_failed included: its detail summarizes the fields shown inline.
      return problem(detailText(error));
  }
}

/** A wrong authentication or recovery code, and how many tries this sign-in has left. */
function wrongCode(attemptsLeft: number | undefined): string {
  if (attemptsLeft === undefined || attemptsLeft < 1) return i18n.t('problems:wrongCode');
  return i18n.t('problems:wrongCodeTriesLeft', { count: attemptsLeft });
}

function tooManyAttempts(seconds: number | undefined): string {
  if (seconds === undefined) return i18n.t('problems:rateLimited');
  // People think in minutes: "try again in 58 minutes", not "in 3459 seconds".
  return i18n.t('problems:rateLimitedWait', { wait: describeWait(seconds) });
}

/** The inline message for one field, as a sentence: "Password must be at least 8 characters." */
export function fieldError(problem: Problem | undefined, field: string, noun: string): string | undefined {
  const text = problem?.fields[field];
  if (text === undefined) return undefined;
  // A whole sentence is said once: the summary above may already be it.
  if (isSentence(text) && problem?.message.includes(text.replace(/[.。]$/u, '')) === true) return undefined;
  return sentence(noun, text);
}

/** A fragment ("must be at least 8 characters") with its noun, as a sentence; a sentence as it is. */
export function sentence(noun: string, message: string): string {
  return isSentence(message) ? closeSentence(message.replace(/\.$/u, '')) : fieldSentence(noun, message);
}
