import { normalizePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.js';
import { isCommonPassword } from './common-passwords.js';

/**
 * NIST SP 800-63B section 3.1.1.2 for chosen passwords: at least 8 characters, at most 128
 * (we must allow 64 or more), no composition rules, and a refusal, with its reason, of
 * passwords an attacker guesses first: common and breached ones, and ones built from the
 * account's own context (its name, its email address, the site's name).
 */

// One definition of the bounds, shared with the hashing code in passwords.ts.
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.js';
export { commonPasswordCount, warmCommonPasswords } from './common-passwords.js';

export type PasswordProblemCode = 'too_short' | 'too_long' | 'common' | 'context';

export interface PasswordContext {
  email?: string | null;
  name?: string | null;
  appName?: string | null;
}

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

// Messages follow a field name: "Password must be at least 8 characters".
const TOO_SHORT: PasswordProblem = {
  code: 'too_short',
  message: `must be at least ${String(PASSWORD_MIN_LENGTH)} characters`,
};
const TOO_LONG: PasswordProblem = {
  code: 'too_long',
  message: `must be at most ${String(PASSWORD_MAX_LENGTH)} characters`,
};
const COMMON: PasswordProblem = {
  code: 'common',
  message: 'is one of the most common passwords: choose something less guessable',
};
const COMMON_PADDED: PasswordProblem = {
  code: 'common',
  message: 'is a common password with digits or symbols added: choose something less guessable',
};
const BLANK: PasswordProblem = { code: 'common', message: 'must not be only spaces' };
const CONTEXT: PasswordProblem = {
  code: 'context',
  message: "must not be built from your name, email address or the site's name",
};

/**
 * Longer raw input than this cannot normalize to 128 code points (NFKC composes at most a
 * few code points into one, and a code point is at most two UTF-16 units), so it is refused
 * before the normalizer and the regexes below spend time on a megabyte of input.
 */
const RAW_LENGTH_CAP = PASSWORD_MAX_LENGTH * 16;

/** Context words shorter than this ("al", "jo") would strip letters from any password. */
const MIN_CONTEXT_WORD = 3;

/** Digits, punctuation, symbols and spaces: what people pad a weak password with. */
const PADDING = /^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu;
const ONLY_PADDING = /^[\p{N}\p{P}\p{S}\s]*$/u;
const EMAIL_SEPARATORS = /[._\-+\p{N}]+/u;
const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;

/** undefined when acceptable. Synchronous (the list is loaded lazily, synchronously, once). */
export function passwordProblem(password: string, context: PasswordContext = {}): PasswordProblem | undefined {
  if (password.length > RAW_LENGTH_CAP) return TOO_LONG;
  const normalized = normalizePassword(password);
  const length = codePoints(normalized);
  if (length < PASSWORD_MIN_LENGTH) return TOO_SHORT;
  if (length > PASSWORD_MAX_LENGTH) return TOO_LONG;
  // Eight spaces pass the length rule and are among the first things a guesser types.
  if (/^\s*$/u.test(normalized)) return BLANK;

  // The list is lowercased, so "Password" and "PASSWORD" are refused with "password": a
  // guesser tries the case variants of a common password right after it.
  const lowered = normalized.toLowerCase();
  const common = commonProblem(lowered);
  if (common !== undefined) return common;
  return builtFromContext(lowered, contextWords(context)) ? CONTEXT : undefined;
}

/**
 * Exact match, then the same with leading and trailing digits, symbols and spaces removed:
 * "Password2024!" and "!!sunshine!!" are the first variants a guessing tool's rules make.
 * The list only holds entries of 8 or more characters, so a short core ("dragon" in
 * "dragon2024") is not matched this way; "dragon2024" itself is refused only if listed.
 */
function commonProblem(lowered: string): PasswordProblem | undefined {
  if (isCommonPassword(lowered)) return COMMON;
  const core = lowered.replace(PADDING, '');
  if (core !== lowered && isCommonPassword(core)) return COMMON_PADDED;
  return undefined;
}

/**
 * Removes every context word from the password, longest first; if what is left is short,
 * is only padding, or is itself a common password, the password adds little to what an
 * attacker who knows the account already has to guess ("ada.lovelace2024",
 * "gatehouse123", "adapassword1").
 */
function builtFromContext(lowered: string, words: readonly string[]): boolean {
  let rest = lowered;
  for (const word of words) rest = rest.replaceAll(word, '');
  if (rest === lowered) return false;
  if (codePoints(rest) < PASSWORD_MIN_LENGTH || ONLY_PADDING.test(rest)) return true;
  return commonProblem(rest.trim()) !== undefined;
}

/**
 * The words an attacker who targets this account tries first: the whole email address, its
 * local part whole, without separators and split on . _ - + and digits; the name and the
 * app's name whole, without spaces and word by word. Lowercased and NFKC like the password;
 * longest first, so "adalovelace" is removed before "ada" could break it up.
 */
function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>();
  const add = (word: string) => {
    if (codePoints(word) >= MIN_CONTEXT_WORD) words.add(word);
  };
  const addPhrase = (phrase: string, separators: RegExp) => {
    add(phrase);
    add(phrase.split(separators).join(''));
    for (const part of phrase.split(separators)) add(part);
  };

  const email = fold(context.email);
  if (email !== '') {
    add(email);
    const at = email.lastIndexOf('@');
    addPhrase(at === -1 ? email : email.slice(0, at), EMAIL_SEPARATORS);
  }
  addPhrase(fold(context.name), WORD_SEPARATORS);
  addPhrase(fold(context.appName), WORD_SEPARATORS);
  return [...words].sort((a, b) => b.length - a.length);
}

function fold(value: string | null | undefined): string {
  return (value ?? '').normalize('NFKC').toLowerCase().trim();
}

/** NIST counts each Unicode code point as one character ("密码" is 2, an emoji is 1). */
function codePoints(value: string): number {
  return Array.from(value).length;
}
