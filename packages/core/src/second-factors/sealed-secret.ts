import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

// A storage format: changing these makes every stored TOTP secret unreadable. The info
// string keeps this key apart from the others derived from GATEHOUSE_SECRET.
const HKDF_SALT = 'gatehouse/totp-secret';
const HKDF_INFO = 'gatehouse totp-secret encryption v1';
const KEY_BYTES = 32; // A256GCM

/**
 * TOTP secrets at rest: a leaked database alone must not let anyone mint codes, so each is a
 * compact JWE (`dir` + `A256GCM`) under a key derived from GATEHOUSE_SECRET, with the user id
 * in the authenticated header so a secret copied onto another account does not open there.
 */
export class SealedSecrets {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    if (secret.length === 0) throw new TypeError('GATEHOUSE_SECRET must not be empty');
    this.key = new Uint8Array(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, KEY_BYTES));
  }

  seal(userId: string, plaintext: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: userId })
      .encrypt(this.key);
  }

  /** Throws when the secret changed, the value was altered, or it belongs to another user. */
  async open(userId: string, sealed: string): Promise<string> {
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, this.key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    if (protectedHeader.kid !== userId) throw new Error('sealed TOTP secret belongs to another user');
    return new TextDecoder().decode(plaintext);
  }
}
