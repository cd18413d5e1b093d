import { json } from './json-init.js';
import type {
  ApiKey,
  AppPassword,
  CreatedApiKey,
  CreatedAppPassword,
  PasswordCheck,
  Reauthentication,
  SignInResult,
  User,
} from './types.js';

interface AccountCallsOptions {
  /** A call through the client's fetch (step-up prompt included); throws AuthClientError on failure. */
  call: <T>(path: string, init?: RequestInit) => Promise<T>;
  /** The same without the step-up prompt: for /reauthenticate itself. */
  callWithoutStepUp: <T>(path: string, init?: RequestInit) => Promise<T>;
  /** An anonymous request whose answer signs this browser in, or asks for a second factor, like /login. */
  signInOrChallenge: (path: string, input: unknown) => Promise<SignInResult>;
}

/**
 * The account's own calls: mail links (verification, reset, email change), the step-up
 * password, password advice, API keys and app passwords. None of them change which tab is
 * signed in, except a reset, which signs in like a login.
 */
export function accountCalls({ call, callWithoutStepUp, signInOrChallenge }: AccountCallsOptions) {
  const post = <T>(path: string, body: unknown) => call<T>(path, json('POST', body));
  return {
    /**
     * Proves it is still the user: the password renews the step-up window; with a code, or a
     * passkey alone, the second-factor window too. `invalid_credentials` for a wrong password,
     * `invalid_second_factor` for a wrong code.
     */
    reauthenticate: (answer: Reauthentication) =>
      callWithoutStepUp<{ reauthenticatedUntil: string }>(
        '/api/auth/reauthenticate',
        json('POST', typeof answer === 'string' ? { password: answer } : answer),
      ),
    /** Mails a reset link if an account uses `email`; answers the same when none does. */
    requestPasswordReset: async (email: string): Promise<void> => {
      await post('/api/auth/password-reset', { email });
    },
    /** Whether a reset link's token still works, before the user types a new password; `invalid_token` if not. */
    checkPasswordResetToken: (token: string) =>
      post<{ valid: true; expiresAt: string }>('/api/auth/password-reset/check', { token }),
    /**
     * Sets a new password from a reset link and signs this browser in; every other sign-in and
     * API key ends. With two-factor on, the answer asks for the second factor instead (a
     * mailbox alone never signs in): continue with `completeSecondFactor`.
     */
    resetPassword: (input: { token: string; newPassword: string }) =>
      signInOrChallenge('/api/auth/password-reset/confirm', input),
    /** Mails the signed-in user a new verification link (`already_verified` when there is no need). */
    sendVerificationEmail: () =>
      call<{ status: 'sent' | 'already_verified' }>('/api/auth/verify-email/send', { method: 'POST' }).then(
        (body) => body.status,
      ),
    /** Confirms the address a verification link was sent to; `invalid_token` when the link is spent or stale. */
    verifyEmail: (token: string) => post<{ user: User }>('/api/auth/verify-email', { token }).then((body) => body.user),
    /** Mails a confirmation link to `newEmail`; the address changes only when that link is opened. */
    changeEmail: async (newEmail: string): Promise<void> => {
      await post('/api/auth/email', { newEmail });
    },
    /** Opens an email-change link: the account's new address; `email_taken` if another account took it meanwhile. */
    confirmEmailChange: (token: string) =>
      post<{ user: User }>('/api/auth/email/confirm', { token }).then((body) => body.user),
    /** Whether the server would accept this password, and why not: advice for a form, not a verdict. */
    checkPassword: (input: { password: string; email?: string; name?: string }) =>
      post<PasswordCheck>('/api/auth/password-check', input),
    /** The user's API keys, without their secrets. */
    apiKeys: () => call<{ apiKeys: ApiKey[] }>('/api/auth/api-keys').then((body) => body.apiKeys),
    /** Creates a key; its secret is in this answer only. `expiresInDays` null means never (if the server allows). */
    createApiKey: (input: { name: string; scopes: string[]; expiresInDays?: number | null }) =>
      post<CreatedApiKey>('/api/auth/api-keys', input),
    /** Revokes a key at once, everywhere. */
    revokeApiKey: async (id: string): Promise<void> => {
      await call(`/api/auth/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    /** The user's app passwords (for sync apps), without the passwords, newest first. */
    appPasswords: () =>
      call<{ appPasswords: AppPassword[] }>('/api/auth/app-passwords').then((body) => body.appPasswords),
    /** Creates an app password; the password is in this answer only. */
    createAppPassword: (input: { name: string }) => post<CreatedAppPassword>('/api/auth/app-passwords', input),
    /** Revokes an app password at once, everywhere: apps using it stop syncing. */
    revokeAppPassword: async (id: string): Promise<void> => {
      await call(`/api/auth/app-passwords/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
  };
}
