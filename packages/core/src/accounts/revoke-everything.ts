import type { AccountDeps } from './deps.js';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface RevokedEverything {
  sessionsAndFamilies: number;
  apiKeys: number;
  appPasswords: number;
}

/**
 * Ends every session and token family of the user, revokes every app password and, unless
 * kept, every API key, each denied at once on every instance. What a reset, a password
 * change and "sign out everywhere" share: a thief who minted a key from a stolen session
 * loses it with the rest. App passwords always go (as Apple's and Google's do on a password
 * change): they stand for signed-in devices, and signing in again on a phone is cheap.
 */
export async function revokeEverything(
  deps: Pick<AccountDeps, 'credentials' | 'stores' | 'apiKeys' | 'revocations' | 'clock'>,
  userId: string,
  reason: string,
  options: { keepApiKeys: boolean },
): Promise<RevokedEverything> {
  const sessionsAndFamilies = await deps.credentials.endAll(userId, reason);
  // A sign-in waiting for its second factor was begun with the old password: it ends too.
  await deps.stores.pendingSignIns.deleteForUser(userId);
  const now = deps.clock();
  // Read from the store on every sync request: revoked here, refused everywhere at once.
  const appPasswords = await deps.stores.appPasswords.revokeAllForUser(userId, now);
  if (options.keepApiKeys) return { sessionsAndFamilies, apiKeys: 0, appPasswords };
  const keys = await deps.stores.apiKeys.revokeAllForUser(userId, now);
  for (const key of keys) {
    deps.apiKeys.evict(key.id);
    await deps.revocations.deny('api_key', key.id, key.expiresAt ?? now + ONE_YEAR_MS);
  }
  return { sessionsAndFamilies, apiKeys: keys.length, appPasswords };
}
