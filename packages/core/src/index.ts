export {
  Gatehouse,
  type AuthState,
  type GatehouseOptions,
  type SessionList,
  type Refreshed,
  type NativeSecondFactorRequired,
} from './gatehouse.js';
export { isAmbientCredential, type CredentialKind } from './auth-state.js';
export type { ClientKind, TokenResponse } from './credentials.js';
export type { ServiceTokenResponse } from './service-tokens.js';
export type { PublicApiKey } from './tokens/api-keys.js';
export type { AppPasswordUser, PublicAppPassword } from './app-passwords/app-passwords.js';
export { feverApiKey } from './app-passwords/app-password-secret.js';
export type { PublicServiceClient, RegisterServiceClientInput } from './tokens/service-clients.js';
export type { AccessTokenClaims, AccessTokenRejection, AccessTokenVerification } from './tokens/access-tokens.js';
export {
  createAccessTokenVerifier,
  JwksUnavailableError,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
} from './tokens/jwks-verifier.js';
export type {
  SignedIn,
  SecondFactorRequired,
  SecondStepDone,
  AccountDeletionHook,
  PasswordCheck,
} from './accounts/index.js';
export type { FactorMethod } from './second-factors/factors.js';
export type { PublicPasskey, SecondFactorOverview } from './second-factors/factor-management.js';
export type { TotpSetup } from './second-factors/totp.js';
export type { Accounts } from './accounts/index.js';
export type { LinkPaths } from './accounts/mail-links.js';
export type { MailMessage, MailTransport } from './mail/mail-message.js';
export {
  loadConfig,
  ConfigError,
  type BrowserMode,
  type GatehouseConfig,
  type SessionConfig,
  type TokenConfig,
  type DatabaseConfig,
  type MailConfig,
  type AccountConfig,
} from './config.js';
export {
  GatehouseError,
  isGatehouseError,
  toProblem,
  STATUS_BY_CODE,
  type GatehouseErrorCode,
  type ProblemBody,
} from './errors.js';
export type { AuthRequest } from './request.js';
export { parseInput } from './validation.js';
export type { PublicSession, PublicUser } from './serializers.js';
export { resolveClientIp } from './client-ip.js';
export { NO_STORE_HEADERS, type ContentSources } from './security-headers.js';
export { UNSAFE_METHODS } from './csrf.js';
export { DEFAULT_RATE_LIMITS, type RateLimitRule, type RateLimits } from './rate-limit.js';
export { OWASP_ARGON2ID, type Argon2Params } from './passwords.js';
export type { Clock } from './clock.js';
export type { RandomSource } from './crypto.js';
export { openStores, openSqliteStores, EmailTakenError } from './stores/index.js';
export type * from './stores/types.js';
