import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_IPV6_RATE_LIMIT_PREFIX } from './client-ip.js';
import { randomToken } from './crypto.js';

/**
 * The one place that reads the environment. Everything is validated at start-up: a bad
 * value stops the process with a message naming the variable, never a surprise mid-request.
 * Production refuses settings that would be unsafe there (like Django's `check --deploy`,
 * but enforced rather than advised).
 */

export type Environment = 'development' | 'test' | 'production';
/** How a same-site or cross-site browser holds its credential (DESIGN.md, client types). */
export type BrowserMode = 'session' | 'jwt-cookie' | 'memory-token';
export type SigningAlgorithm = 'EdDSA' | 'ES256';

export type DatabaseConfig = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

export interface SessionConfig {
  /** A session unused for this long is dead (sliding). */
  idleTimeoutMs: number;
  /** A session dies this long after sign-in, however active. */
  absoluteLifetimeMs: number;
  /** Sliding expiry is written at most this often, so reads do not write every request. */
  touchIntervalMs: number;
  /** true: the cookie has no Max-Age and ends with the browser (unless "remember me"). */
  browserSessionCookie: boolean;
}

export interface TokenConfig {
  /** `iss` of every token we sign. */
  issuer: string;
  /** `aud` of the access tokens our own API accepts. */
  audience: string;
  accessTokenTtlMs: number;
  /** A refresh token family dies this long after sign-in, however often it rotates. */
  refreshFamilyLifetimeMs: number;
  /** A rotated refresh token presented again within this window gets the same successor. */
  refreshGraceMs: number;
  serviceTokenTtlMs: number;
  signingAlgorithm: SigningAlgorithm;
  /** A signing key signs for this long, then a new one takes over. */
  keyRotationIntervalMs: number;
  /** Tolerated clock difference for exp/nbf/iat between us and whoever issued. */
  clockSkewSeconds: number;
}

export interface MailConfig {
  /** `smtp://…` / `smtps://…`, or undefined: write .eml files to `<dataDir>/outbox` and log the links. */
  url: string | undefined;
  from: string;
}

export interface AccountConfig {
  /** The product's name in mail and among the words a password must not be built from. */
  appName: string;
  /** App routes refuse users whose email is not verified (`email_verification_required`). */
  requireVerifiedEmail: boolean;
  /** How long after the password was entered sensitive actions are allowed (step-up). */
  reauthWindowMs: number;
  /** An API key's life when its creator names none. */
  apiKeyDefaultLifetimeMs: number;
  /** The longest life a key may be given; null: keys may live forever (the operator said so). */
  apiKeyMaxLifetimeMs: number | null;
}

export interface GatehouseConfig {
  env: Environment;
  production: boolean;
  host: string;
  port: number;
  /** The origin users reach the app at; always trusted for CSRF. */
  publicOrigin: string;
  /**
   * Every origin allowed to make unsafe cookie-authenticated requests, publicOrigin first;
   * outside production, a `localhost` public origin's 127.0.0.1 and [::1] spellings last.
   */
  trustedOrigins: readonly string[];
  database: DatabaseConfig;
  redisUrl: string | undefined;
  secret: string;
  browserMode: BrowserMode;
  session: SessionConfig;
  tokens: TokenConfig;
  secureCookies: boolean;
  /** How many reverse proxies in front of us may set X-Forwarded-For / -Proto. */
  trustProxyHops: number;
  /** Per-IP rate limits count an IPv6 client by its network of this many bits (32..128). */
  ipv6RateLimitPrefix: number;
  dataDir: string;
  mail: MailConfig;
  accounts: AccountConfig;
  /** Audit rows older than this are deleted by the sweeper (GATEHOUSE_AUDIT_RETENTION). */
  auditRetentionMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const seconds = (fallback: number, minimum = 1) =>
  z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(minimum, minimum === 1 ? 'must be positive' : `must be at least ${String(minimum)}`)
    .default(fallback);

const DAY_SECONDS = 24 * 60 * 60;

/** Parses "https://app.example:8443" to its canonical origin, or fails. */
function canonicalOrigin(value: string): string | undefined {
  if (value.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.origin !== value.replace(/\/$/, '')) return undefined;
  return url.origin;
}

const origin = z.string().transform((value, ctx) => {
  const parsed = canonicalOrigin(value.trim());
  if (parsed === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an origin like https://app.example.com (no path, no wildcard)`,
    });
    return z.NEVER;
  }
  return parsed;
});

const originList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  )
  .pipe(z.array(origin));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_ORIGIN: origin.optional(),
  TRUSTED_ORIGINS: originList,
  DATABASE_URL: z.string().min(1).default('sqlite:./data/gatehouse.sqlite'),
  REDIS_URL: z.string().min(1).optional(),
  GATEHOUSE_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  GATEHOUSE_BROWSER_MODE: z
    .enum(['session', 'jwt-cookie', 'memory-token'], {
      message: 'must be session, jwt-cookie or memory-token',
    })
    .default('session'),
  GATEHOUSE_TOKEN_ISSUER: z.string().min(1).optional(),
  GATEHOUSE_TOKEN_AUDIENCE: z.string().min(1).optional(),
  GATEHOUSE_ACCESS_TOKEN_TTL: seconds(10 * 60),
  GATEHOUSE_REFRESH_TOKEN_LIFETIME: seconds(30 * DAY_SECONDS),
  GATEHOUSE_REFRESH_GRACE: seconds(10, 0),
  GATEHOUSE_SERVICE_TOKEN_TTL: seconds(5 * 60),
  GATEHOUSE_SIGNING_ALG: z.enum(['EdDSA', 'ES256'], { message: 'must be EdDSA or ES256' }).default('EdDSA'),
  GATEHOUSE_KEY_ROTATION: seconds(30 * DAY_SECONDS, 60 * 60),
  GATEHOUSE_SESSION_IDLE_TIMEOUT: seconds(60 * 60),
  GATEHOUSE_SESSION_ABSOLUTE_LIFETIME: seconds(7 * 24 * 60 * 60),
  GATEHOUSE_SESSION_BROWSER_COOKIE: booleanFlag.default(false),
  GATEHOUSE_SECURE_COOKIES: booleanFlag.default(true),
  GATEHOUSE_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  GATEHOUSE_IPV6_RATE_LIMIT_PREFIX: z.coerce
    .number({ message: 'must be a prefix length from 32 to 128' })
    .int('must be a prefix length from 32 to 128')
    .min(32, 'must be a prefix length from 32 to 128')
    .max(128, 'must be a prefix length from 32 to 128')
    .default(DEFAULT_IPV6_RATE_LIMIT_PREFIX),
  GATEHOUSE_DATA_DIR: z.string().min(1).default('./data'),
  MAIL_URL: z
    .string()
    .regex(/^(smtps?:\/\/.+|log:)$/, 'must be smtp://user:pass@host:port, smtps://… or log:')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  GATEHOUSE_APP_NAME: z.string().trim().min(1).max(100).default('Gatehouse'),
  GATEHOUSE_REQUIRE_VERIFIED_EMAIL: booleanFlag.default(false),
  GATEHOUSE_REAUTH_WINDOW: seconds(10 * 60),
  GATEHOUSE_API_KEY_LIFETIME: seconds(90 * DAY_SECONDS, 60),
  GATEHOUSE_API_KEY_MAX_LIFETIME: z
    .union([z.literal('unlimited'), z.coerce.number().int().min(60)], {
      message: 'must be a number of seconds (at least 60) or unlimited',
    })
    .default(365 * DAY_SECONDS),
  // At least a day: a value meant in minutes or hours must not wipe the trail an incident needs.
  GATEHOUSE_AUDIT_RETENTION: seconds(90 * DAY_SECONDS, DAY_SECONDS),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type RawEnv = Record<string, string | undefined>;

export function loadConfig(env: RawEnv = process.env): GatehouseConfig {
  // Empty strings mean "unset": `FOO= npm start` should fall back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.GATEHOUSE_DATA_DIR);
  const publicOrigin = e.PUBLIC_ORIGIN ?? `http://localhost:${String(e.PORT)}`;

  const problems: string[] = [];
  if (e.GATEHOUSE_SESSION_IDLE_TIMEOUT > e.GATEHOUSE_SESSION_ABSOLUTE_LIFETIME) {
    problems.push('GATEHOUSE_SESSION_IDLE_TIMEOUT: must not exceed GATEHOUSE_SESSION_ABSOLUTE_LIFETIME');
  }
  if (e.GATEHOUSE_ACCESS_TOKEN_TTL > 60 * 60) {
    problems.push('GATEHOUSE_ACCESS_TOKEN_TTL: at most 3600 seconds (access tokens are meant to be short-lived)');
  }
  if (e.GATEHOUSE_REFRESH_GRACE > 60) {
    problems.push('GATEHOUSE_REFRESH_GRACE: at most 60 seconds (longer hides refresh token theft)');
  }
  if (e.GATEHOUSE_BROWSER_MODE === 'memory-token' && !e.GATEHOUSE_SECURE_COOKIES) {
    problems.push(
      'GATEHOUSE_BROWSER_MODE: memory-token needs GATEHOUSE_SECURE_COOKIES=true (browsers drop SameSite=None cookies that are not Secure)',
    );
  }
  const maxKeyLifetime = e.GATEHOUSE_API_KEY_MAX_LIFETIME;
  if (maxKeyLifetime !== 'unlimited' && e.GATEHOUSE_API_KEY_LIFETIME > maxKeyLifetime) {
    problems.push('GATEHOUSE_API_KEY_LIFETIME: must not exceed GATEHOUSE_API_KEY_MAX_LIFETIME');
  }
  if (production) problems.push(...productionProblems(e, publicOrigin));
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  return {
    env: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    publicOrigin,
    trustedOrigins: [...new Set([publicOrigin, ...e.TRUSTED_ORIGINS, ...loopbackSpellings(publicOrigin, production)])],
    database: parseDatabaseUrl(e.DATABASE_URL),
    redisUrl: e.REDIS_URL,
    secret: e.GATEHOUSE_SECRET ?? loadOrCreateDevSecret(dataDir),
    browserMode: e.GATEHOUSE_BROWSER_MODE,
    session: {
      idleTimeoutMs: e.GATEHOUSE_SESSION_IDLE_TIMEOUT * 1000,
      absoluteLifetimeMs: e.GATEHOUSE_SESSION_ABSOLUTE_LIFETIME * 1000,
      touchIntervalMs: 60 * 1000,
      browserSessionCookie: e.GATEHOUSE_SESSION_BROWSER_COOKIE,
    },
    tokens: {
      issuer: e.GATEHOUSE_TOKEN_ISSUER ?? publicOrigin,
      audience: e.GATEHOUSE_TOKEN_AUDIENCE ?? publicOrigin,
      accessTokenTtlMs: e.GATEHOUSE_ACCESS_TOKEN_TTL * 1000,
      refreshFamilyLifetimeMs: e.GATEHOUSE_REFRESH_TOKEN_LIFETIME * 1000,
      refreshGraceMs: e.GATEHOUSE_REFRESH_GRACE * 1000,
      serviceTokenTtlMs: e.GATEHOUSE_SERVICE_TOKEN_TTL * 1000,
      signingAlgorithm: e.GATEHOUSE_SIGNING_ALG,
      keyRotationIntervalMs: e.GATEHOUSE_KEY_ROTATION * 1000,
      clockSkewSeconds: 30,
    },
    secureCookies: e.GATEHOUSE_SECURE_COOKIES,
    trustProxyHops: e.GATEHOUSE_TRUST_PROXY,
    ipv6RateLimitPrefix: e.GATEHOUSE_IPV6_RATE_LIMIT_PREFIX,
    dataDir,
    mail: {
      // `log:` is the outbox written on purpose; only production needs it said explicitly.
      url: e.MAIL_URL === 'log:' ? undefined : e.MAIL_URL,
      from: e.MAIL_FROM ?? `${e.GATEHOUSE_APP_NAME} <no-reply@${new URL(publicOrigin).hostname}>`,
    },
    accounts: {
      appName: e.GATEHOUSE_APP_NAME,
      requireVerifiedEmail: e.GATEHOUSE_REQUIRE_VERIFIED_EMAIL,
      reauthWindowMs: e.GATEHOUSE_REAUTH_WINDOW * 1000,
      apiKeyDefaultLifetimeMs: e.GATEHOUSE_API_KEY_LIFETIME * 1000,
      apiKeyMaxLifetimeMs: maxKeyLifetime === 'unlimited' ? null : maxKeyLifetime * 1000,
    },
    auditRetentionMs: e.GATEHOUSE_AUDIT_RETENTION * 1000,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Outside production, the other spellings of a `localhost` public origin. Browsers treat
 * http://localhost:3000 and http://127.0.0.1:3000 as two origins, so a developer who opened
 * the app at 127.0.0.1 got `csrf_failed` on every form, sign-up included (issue 15). Same
 * scheme and port only, so nothing but this server can answer there; Fetch Metadata and
 * the token still apply. Production trusts exactly what it is told (DESIGN.md, client
 * types: the Origin check), where PUBLIC_ORIGIN is the one https:// origin users reach.
 */
function loopbackSpellings(publicOrigin: string, production: boolean): string[] {
  if (production || new URL(publicOrigin).hostname !== 'localhost') return [];
  return ['127.0.0.1', '[::1]'].map((host) => {
    const url = new URL(publicOrigin);
    url.hostname = host;
    return url.origin;
  });
}

function productionProblems(e: z.infer<typeof EnvSchema>, publicOrigin: string): string[] {
  const problems: string[] = [];
  if (e.GATEHOUSE_SECRET === undefined) {
    problems.push('GATEHOUSE_SECRET: required in production (generate one with `openssl rand -base64 48`)');
  }
  if (!e.GATEHOUSE_SECURE_COOKIES) {
    problems.push('GATEHOUSE_SECURE_COOKIES: cannot be false in production (cookies would travel over plain HTTP)');
  }
  if (e.PUBLIC_ORIGIN === undefined) {
    problems.push('PUBLIC_ORIGIN: required in production (the https:// origin users reach the app at)');
  } else if (!publicOrigin.startsWith('https://')) {
    problems.push('PUBLIC_ORIGIN: must be https:// in production');
  }
  if (e.MAIL_URL === undefined) {
    problems.push(
      'MAIL_URL: required in production (smtp://user:pass@host:587), or MAIL_URL=log: to only write mail to the data folder',
    );
  }
  for (const trusted of e.TRUSTED_ORIGINS) {
    if (!trusted.startsWith('https://')) {
      problems.push(`TRUSTED_ORIGINS: ${trusted} must be https:// in production`);
    }
  }
  return problems;
}

function parseDatabaseUrl(value: string): DatabaseConfig {
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    return { kind: 'postgres', url: value };
  }
  if (value.startsWith('sqlite:')) {
    const filename = value.slice('sqlite:'.length);
    if (filename === '') throw new ConfigError('Invalid configuration:\n  DATABASE_URL: sqlite: needs a file path');
    return { kind: 'sqlite', filename: filename === ':memory:' ? filename : resolve(filename) };
  }
  throw new ConfigError(
    'Invalid configuration:\n  DATABASE_URL: must start with sqlite: (e.g. sqlite:./data/gatehouse.sqlite) or postgres://',
  );
}

/**
 * Development convenience: a secret generated on first start and kept in the data folder,
 * readable only by its owner, so restarts keep working without any setup.
 */
function loadOrCreateDevSecret(dataDir: string): string {
  const path = join(dataDir, 'secret');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomToken(48);
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}
