import type { PasskeyAssertionJSON, SecondFactorAnswer, SignedIn } from './types.js';

interface SignInStepsOptions {
  /** An anonymous POST (CSRF header in the cookie modes, no credential); throws AuthClientError on failure. */
  post: <T>(path: string, body: unknown) => Promise<T>;
  /** An anonymous POST whose answer signs this browser in, like /login without a second factor. */
  signInWith: (path: string, body: unknown) => Promise<SignedIn>;
}

/**
 * The sign-ins that are not a password alone: the second step after `signIn` answered
 * `mfaRequired`, and a passkey by itself. WebAuthn runs in the app (navigator.credentials or a
 * library such as @simplewebauthn/browser): these calls carry its JSON, and the client stays
 * free of dependencies.
 */
export function signInSteps({ post, signInWith }: SignInStepsOptions) {
  return {
    /**
     * The second step: a code from the authenticator app, a recovery code, or a passkey
     * assertion (options from `secondFactorOptions`). Signs in exactly as `signIn` would have.
     * Errors: `invalid_second_factor` (with `attemptsLeft`), `sign_in_expired` (with `reason`
     * `expired` or `too_many_attempts`: enter the password again), `rate_limited`.
     */
    completeSecondFactor: (answer: SecondFactorAnswer) => signInWith('/api/auth/login/second-factor', answer),
    /** The passkey challenge for a pending sign-in, listing the user's passkeys. */
    secondFactorOptions: (mfaToken: string) =>
      post<{ options: PublicKeyCredentialRequestOptionsJSON }>('/api/auth/login/second-factor/options', {
        mfaToken,
      }).then((body) => body.options),
    /** A challenge for signing in with a passkey alone (discoverable: no email needed). */
    passkeyLoginOptions: () =>
      post<{ options: PublicKeyCredentialRequestOptionsJSON }>('/api/auth/login/passkey/options', {}).then(
        (body) => body.options,
      ),
    /** Signs in with a passkey alone; `invalid_credentials` when the server does not recognise it. */
    loginWithPasskey: (response: PasskeyAssertionJSON, remember?: boolean) =>
      signInWith('/api/auth/login/passkey', remember === undefined ? { response } : { response, remember }),
  };
}
