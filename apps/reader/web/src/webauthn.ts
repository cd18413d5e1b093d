import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON as LibraryCreationOptions,
  type PublicKeyCredentialRequestOptionsJSON as LibraryRequestOptions,
} from '@simplewebauthn/browser';
import type { PasskeyAssertionJSON, PasskeyAttestationJSON } from '@gatehouse/client';
import { PasskeyError } from './passkeyError';

/*
 * The browser's half of passkeys, in one place: the auth client carries WebAuthn JSON and
 * nothing else; @simplewebauthn/browser turns it into navigator.credentials calls. Every
 * failure leaves here as a PasskeyError, which errors.ts turns into a sentence.
 */

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

export const passkeyAutofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/**
 * The server's options are the standard JSON (the DOM's types); the library's types are the
 * same JSON with narrower string unions (transports, hints), so this one cast is only a label.
 */
const requestOptions = (options: PublicKeyCredentialRequestOptionsJSON) => options as LibraryRequestOptions;
const creationOptions = (options: PublicKeyCredentialCreationOptionsJSON) => options as LibraryCreationOptions;

/** Asks for a passkey (the browser's dialog); `autofill`: offer them in the username field's suggestions instead. */
export async function passkeyAssertion(
  options: PublicKeyCredentialRequestOptionsJSON,
  autofill = false,
): Promise<PasskeyAssertionJSON> {
  if (!passkeysSupported()) throw new PasskeyError('unsupported');
  try {
    return await startAuthentication({ optionsJSON: requestOptions(options), useBrowserAutofill: autofill });
  } catch (error) {
    throw passkeyError(error);
  }
}

/** Creates a passkey for the signed-in user. */
export async function passkeyRegistration(
  options: PublicKeyCredentialCreationOptionsJSON,
): Promise<PasskeyAttestationJSON> {
  if (!passkeysSupported()) throw new PasskeyError('unsupported');
  try {
    return await startRegistration({ optionsJSON: creationOptions(options) });
  } catch (error) {
    throw passkeyError(error);
  }
}

/** Ends whatever ceremony is waiting (the autofill one, typically); it fails with `aborted`. */
export function cancelPasskeyCeremony(): void {
  WebAuthnAbortService.cancelCeremony();
}

function passkeyError(error: unknown): PasskeyError {
  const cause = { cause: error };
  if (error instanceof WebAuthnError) {
    switch (error.code) {
      case 'ERROR_CEREMONY_ABORTED':
        return new PasskeyError('aborted', cause);
      case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
        return new PasskeyError('exists', cause);
      case 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY':
        // NotAllowedError: closed, timed out, or no passkey chosen; browsers blur these on purpose.
        return new PasskeyError('cancelled', cause);
      default:
        return new PasskeyError('failed', cause);
    }
  }
  if (error instanceof Error && error.name === 'AbortError') return new PasskeyError('aborted', cause);
  if (error instanceof Error && error.name === 'NotAllowedError') return new PasskeyError('cancelled', cause);
  return new PasskeyError('failed', cause);
}
