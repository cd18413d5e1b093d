import type { AccountDeps } from './deps.js';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface RevokedEverything {
  sessionsAndFamilies: number;
  apiKeys: number;
}

/**
 * Ends every session and token family of the user and, unless kept, revokes every API key,
 * each denied at once on every instance. What a reset, a password change and "sign out
 * everywhere" share: a thief who minted a key from a stolen session loses it with the rest.
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
  if (options.keepApiKeys) return { sessionsAndFamilies, apiKeys: 0 };
  const now = deps.clock();
  const keys = await deps.stores.apiKeys.revokeAllForUser(userId, now);
  for (const key of keys) {
    deps.apiKeys.evict(key.id);
    await deps.revocations.deny('api_key', key.id, key.expiresAt ?? now + ONE_YEAR_MS);
  }
  return { sessionsAndFamilies, apiKeys: keys.length };
}
