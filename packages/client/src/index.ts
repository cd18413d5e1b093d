export { createAuthClient, type AuthClient, type AuthClientOptions } from './auth-client.js';
export { AuthClientError, errorFromResponse } from './errors.js';
export type { ReauthenticationPrompt } from './step-up.js';
export type {
  ApiKey,
  AuthMode,
  CreatedApiKey,
  PasswordCheck,
  ReauthenticationAttempt,
  Session,
  SignedIn,
  SignedOutEvent,
  SignedOutReason,
  User,
} from './types.js';
