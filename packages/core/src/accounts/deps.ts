import type { Logger } from 'pino';
import type { AppPasswords } from '../app-passwords/app-passwords.js';
import type { AuditTrail } from '../audit.js';
import type { AuthCookies } from '../auth-cookies.js';
import type { Clock } from '../clock.js';
import type { GatehouseConfig } from '../config.js';
import type { Credentials } from '../credentials.js';
import type { RandomSource } from '../crypto.js';
import type { MailOutbox } from '../mail/mail-outbox.js';
import type { PasswordHasher } from '../passwords.js';
import type { PushChannel } from '../push-channel.js';
import type { RateLimiter, RateLimits } from '../rate-limit.js';
import type { SessionManager } from '../sessions.js';
import type { GatehouseStores } from '../stores/types.js';
import type { ApiKeys } from '../tokens/api-keys.js';
import type { RevocationList } from '../tokens/revocation-list.js';
import type { UserCache } from '../user-cache.js';
import type { BackgroundWork } from './background-work.js';
import type { MailLinks } from './mail-links.js';
import type { OneTimeTokens } from './one-time-tokens.js';

/** What the account flows share; built once by the Gatehouse composition root. */
export interface AccountDeps {
  config: GatehouseConfig;
  stores: GatehouseStores;
  clock: Clock;
  random: RandomSource;
  log: Logger;
  audit: AuditTrail;
  credentials: Credentials;
  sessions: SessionManager;
  cookies: AuthCookies;
  apiKeys: ApiKeys;
  appPasswords: AppPasswords;
  revocations: RevocationList;
  userCache: UserCache;
  passwords: PasswordHasher;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  mail: MailOutbox;
  links: MailLinks;
  oneTimeTokens: OneTimeTokens;
  background: BackgroundWork;
  push: PushChannel;
}
