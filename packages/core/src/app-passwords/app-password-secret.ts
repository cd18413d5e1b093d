import { createHash } from 'node:crypto';
import type { RandomSource } from '../crypto.js';

// 32 symbols, none that look alike (no l, o, 0, 1): typed on a phone keyboard, read off a
// screen. 20 of them are 100 bits, so a fast hash is enough to store it (as for API keys).
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const GROUPS = 5;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;
const CANONICAL = new RegExp(`^[${ALPHABET}]{${String(LENGTH)}}$`);
const SEPARATORS = /[\s-]/gu;

/** A new app password, `xxxx-xxxx-xxxx-xxxx-xxxx`. */
export function newAppPassword(random: RandomSource): string {
  // 256 is a multiple of 32: each byte's low five bits pick a symbol without bias.
  const symbols = Array.from(random(LENGTH), (byte) => ALPHABET[byte & 31]).join('');
  return group(symbols);
}

/**
 * The password as issued, from what a user typed into an app: any case, with or without the
 * dashes, spaces kept by a copy. undefined when it cannot be one of ours (no lookup needed).
 */
export function canonicalAppPassword(typed: string): string | undefined {
  if (typed.length > 64) return undefined;
  const symbols = typed.replace(SEPARATORS, '').toLowerCase();
  return CANONICAL.test(symbols) ? group(symbols) : undefined;
}

/**
 * The Fever protocol's api_key: md5 of `login:password`, as every Fever client computes it.
 * md5 is the protocol's, not our choice; it is safe here only because the password is a
 * random 100-bit secret (never the account password), and it is stored hashed again.
 */
export function feverApiKey(login: string, password: string): string {
  return createHash('md5').update(`${login}:${password}`, 'utf8').digest('hex');
}

function group(symbols: string): string {
  const groups: string[] = [];
  for (let start = 0; start < LENGTH; start += GROUP_LENGTH) groups.push(symbols.slice(start, start + GROUP_LENGTH));
  return groups.join('-');
}
