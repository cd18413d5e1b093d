export { createAuthClient, type AuthClient, type AuthClientOptions } from './auth-client.js';
export { AuthClientError, errorFromResponse, type ProblemExtensions } from './errors.js';
export type { ReauthenticationPrompt } from './step-up.js';
export type {
  AddedPasskey,
  ApiKey,
  AppPassword,
  AuthMode,
  CreatedApiKey,
  CreatedAppPassword,
  Passkey,
  PasskeyAssertionJSON,
  PasskeyAttestationJSON,
  PasswordCheck,
  Reauthentication,
  ReauthenticationAttempt,
  SecondFactorAnswer,
  SecondFactorMethod,
  SecondFactorRequired,
  SecondFactors,
  Session,
  SignedIn,
  SignedOutEvent,
  SignedOutReason,
  SignInResult,
  StepUpMethod,
  TotpSetup,
  User,
} from './types.js';
