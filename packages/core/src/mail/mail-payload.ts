import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import type { MailMessage } from './mail-message.js';

// A storage format, like tokens/private-key-encryption.ts: changing these makes queued mail
// unreadable. The info string keeps this key apart from everything else derived from
// GATEHOUSE_SECRET (the signing-key key uses its own).
const HKDF_SALT = 'gatehouse/mail-outbox';
const HKDF_INFO = 'gatehouse mail-outbox encryption v1';
const KEY_BYTES = 32; // A256GCM

/** The key queued mail is sealed under: a leaked database alone yields no address and no live link. */
export function deriveMailKey(secret: string): Uint8Array {
  if (secret.length === 0) throw new TypeError('GATEHOUSE_SECRET must not be empty');
  return new Uint8Array(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, KEY_BYTES));
}

/**
 * The message as a compact JWE (`dir` + `A256GCM`). The row id sits in the authenticated
 * header, so a payload copied onto another row does not open there.
 */
export function sealMail(id: string, message: MailMessage, key: Uint8Array): Promise<string> {
  const { to, subject, text, html } = message;
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ to, subject, text, html })))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'json', kid: id })
    .encrypt(key);
}

/** Throws when the secret changed, the payload was altered, or it belongs to another row. */
export async function openMail(id: string, jwe: string, key: Uint8Array): Promise<MailMessage> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  if (protectedHeader.kid !== id) throw new Error(`sealed mail belongs to another row than ${id}`);
  const value: unknown = JSON.parse(new TextDecoder().decode(plaintext));
  if (!isMailMessage(value)) throw new Error('sealed mail is not a message');
  return value;
}

function isMailMessage(value: unknown): value is MailMessage {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return ['to', 'subject', 'text', 'html'].every((name) => typeof fields[name] === 'string');
}
