import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Fills `bytes` random bytes; injectable so tests can make ids predictable. */
export type RandomSource = (bytes: number) => Uint8Array;

export const secureRandom: RandomSource = (bytes) => randomBytes(bytes);

/** A random token of `bytes` bytes, base64url without padding (cookie- and URL-safe). */
export function randomToken(bytes: number, random: RandomSource = secureRandom): string {
  return Buffer.from(random(bytes)).toString('base64url');
}

/** Hex SHA-256: how session ids are stored, so a leaked table holds no usable credential. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Keyed hash for values we must look up but should not store in clear (emails, IPs). */
export function hmacHex(key: string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** Constant-time equality for secrets; unequal lengths return false without comparing. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
