import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';

// Changing any of these makes every stored private key unreadable: they are a storage format.
// The salt is fixed (not per key) because the secret itself is already high-entropy; the info
// string separates this key from anything else ever derived from GATEHOUSE_SECRET.
const HKDF_SALT = 'gatehouse/signing-keys';
const HKDF_INFO = 'gatehouse signing-key encryption v1';
const KEY_BYTES = 32; // A256GCM

/** The content key private JWKs are sealed under, derived from GATEHOUSE_SECRET. */
export function deriveKeyEncryptionKey(secret: string): Uint8Array {
  if (secret.length === 0) throw new TypeError('GATEHOUSE_SECRET must not be empty');
  return new Uint8Array(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, KEY_BYTES));
}

/**
 * The private JWK as a compact JWE (`dir` + `A256GCM`). The kid sits in the protected header,
 * which GCM authenticates, so a ciphertext copied onto another key's row does not open there.
 */
export function sealPrivateJwk(kid: string, privateJwk: JWK, key: Uint8Array): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(privateJwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json', kid })
    .encrypt(key);
}

/** Throws when the secret changed, the ciphertext was altered, or it belongs to another kid. */
export async function openPrivateJwk(kid: string, jwe: string, key: Uint8Array): Promise<JWK> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  if (protectedHeader.kid !== kid) throw new Error(`sealed private key belongs to another kid than ${kid}`);
  const jwk: unknown = JSON.parse(new TextDecoder().decode(plaintext));
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error('sealed private key is not a JWK');
  return jwk;
}
