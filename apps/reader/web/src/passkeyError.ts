import { i18n } from './i18n';

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

const MESSAGES: Readonly<Record<PasskeyErrorKind, () => string>> = {
  aborted: () => i18n.t('problems:passkey.aborted'),
  cancelled: () => i18n.t('problems:passkey.cancelled'),
  exists: () => i18n.t('problems:passkey.exists'),
  unsupported: () => i18n.t('problems:passkey.unsupported'),
  failed: () => i18n.t('problems:passkey.failed'),
};

export function passkeyMessage(error: PasskeyError): string {
  return MESSAGES[error.kind]();
}
