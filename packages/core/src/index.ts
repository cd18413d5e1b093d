export { Gatehouse, type AuthState, type GatehouseOptions, type SessionList } from './gatehouse.js';
export type { SignedIn } from './account-flows.js';
export { loadConfig, ConfigError, type GatehouseConfig, type SessionConfig, type DatabaseConfig } from './config.js';
export {
  GatehouseError,
  isGatehouseError,
  toProblem,
  STATUS_BY_CODE,
  type GatehouseErrorCode,
  type ProblemBody,
} from './errors.js';
export type { AuthRequest } from './request.js';
export type { PublicSession, PublicUser } from './serializers.js';
export { resolveClientIp } from './client-ip.js';
export { NO_STORE_HEADERS } from './security-headers.js';
export { UNSAFE_METHODS } from './csrf.js';
export { DEFAULT_RATE_LIMITS, type RateLimitRule, type RateLimits } from './rate-limit.js';
export { OWASP_ARGON2ID, type Argon2Params } from './passwords.js';
export type { Clock } from './clock.js';
export type { RandomSource } from './crypto.js';
export { openStores, openSqliteStores, EmailTakenError } from './stores/index.js';
export type * from './stores/types.js';
