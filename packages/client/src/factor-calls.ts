import { json } from './json-init.js';
import type { AddedPasskey, Passkey, PasskeyAttestationJSON, SecondFactors, TotpSetup } from './types.js';

interface FactorCallsOptions {
  /** A call through the client's fetch (step-up prompt included); throws AuthClientError on failure. */
  call: <T>(path: string, init?: RequestInit) => Promise<T>;
  /** The same without the step-up prompt: for /reauthenticate itself. */
  callWithoutStepUp: <T>(path: string, init?: RequestInit) => Promise<T>;
}

const id = encodeURIComponent;

/**
 * Managing the signed-in user's second factors: an authenticator app (TOTP), passkeys,
 * recovery codes, and whether every step-up needs a factor. Most of these need a recent
 * password, and a factor too once two-factor is on: the step-up prompt asks for them.
 */
export function factorCalls({ call, callWithoutStepUp }: FactorCallsOptions) {
  const post = <T>(path: string, body: unknown) => call<T>(path, json('POST', body));
  return {
    /** What the user has: TOTP on or off, recovery codes left, passkeys, the step-up setting. */
    getSecondFactors: () => call<SecondFactors>('/api/auth/second-factors'),
    /** Starts (or restarts) an authenticator-app setup; `conflict` when one is already on. */
    totpSetup: () => post<TotpSetup>('/api/auth/totp/setup', {}),
    /**
     * Finishes the setup with a code from the app. The recovery codes come back (once) when the
     * user had none; otherwise null. A wrong code: `validation_failed` with `fields.code`.
     */
    totpEnable: (code: string) =>
      post<{ recoveryCodes: string[] | null }>('/api/auth/totp/enable', { code }).then((body) => body.recoveryCodes),
    /** Removes the authenticator app. */
    totpDisable: async (): Promise<void> => {
      await call('/api/auth/totp', { method: 'DELETE' });
    },
    /** Ten new recovery codes, shown this once; every earlier one stops working. */
    regenerateRecoveryCodes: () =>
      post<{ recoveryCodes: string[] }>('/api/auth/recovery-codes', {}).then((body) => body.recoveryCodes),
    /** The challenge for registering a passkey (the user's own passkeys excluded). */
    passkeyRegistrationOptions: () =>
      post<{ options: PublicKeyCredentialCreationOptionsJSON }>('/api/auth/passkeys/options', {}).then(
        (body) => body.options,
      ),
    /** Registers the passkey the browser just created; `validation_failed` if the server rejects it. */
    addPasskey: (input: { response: PasskeyAttestationJSON; name?: string }) =>
      post<AddedPasskey>('/api/auth/passkeys', input),
    renamePasskey: (passkeyId: string, name: string) =>
      call<{ passkey: Passkey }>(`/api/auth/passkeys/${id(passkeyId)}`, json('PATCH', { name })).then(
        (body) => body.passkey,
      ),
    removePasskey: async (passkeyId: string): Promise<void> => {
      await call(`/api/auth/passkeys/${id(passkeyId)}`, { method: 'DELETE' });
    },
    /** Whether every step-up asks for a second factor too; `conflict` when turning it on without one. */
    setStepUpRequiresFactor: (required: boolean) =>
      call<{ stepUpRequiresFactor: boolean }>('/api/auth/second-factors/step-up', json('PUT', { required })).then(
        (body) => body.stepUpRequiresFactor,
      ),
    /** The passkey challenge for a step-up (`reauthenticate({method: 'passkey', response})`). */
    reauthenticationOptions: () =>
      callWithoutStepUp<{ options: PublicKeyCredentialRequestOptionsJSON }>(
        '/api/auth/reauthenticate/options',
        json('POST', {}),
      ).then((body) => body.options),
  };
}
