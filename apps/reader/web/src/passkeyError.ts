/**
 * Why a WebAuthn ceremony in this browser ended without a credential (webauthn.ts):
 * - `aborted`: this page cancelled it (another ceremony started, the user typed a password);
 *   nothing to tell the user;
 * - `cancelled`: the user closed the browser's dialog, or it timed out (the browser does not
 *   say which, on purpose);
 * - `exists`: registering, and this authenticator already holds a passkey for the account;
 * - `unsupported`: no WebAuthn here;
 * - `failed`: anything else the authenticator or browser refused.
 */
export type PasskeyErrorKind = 'aborted' | 'cancelled' | 'exists' | 'unsupported' | 'failed';

export class PasskeyError extends Error {
  override readonly name = 'PasskeyError';
  constructor(
    readonly kind: PasskeyErrorKind,
    options?: { cause?: unknown },
  ) {
    super(`passkey: ${kind}`, options);
  }
}

const MESSAGES: Readonly<Record<PasskeyErrorKind, string>> = {
  aborted: 'The passkey request was stopped.',
  cancelled: 'The passkey request was cancelled or timed out.',
  exists: 'This device already has a passkey for your account.',
  unsupported: 'This browser can’t use passkeys.',
  failed: 'The passkey didn’t work. Try again.',
};

export function passkeyMessage(error: PasskeyError): string {
  return MESSAGES[error.kind];
}
