import type { AccountDeps } from './deps.js';

/**
 * After a user's record changes (address verified or changed): every cached copy, here and
 * on other instances, is dropped so the next request reads the new one. Published before the
 * change is acknowledged, like revocations.
 */
export async function userChanged(deps: Pick<AccountDeps, 'sessions' | 'userCache' | 'push'>, userId: string) {
  deps.sessions.evictUser(userId);
  deps.userCache.evict(userId);
  await deps.push.publish({ type: 'user_changed', userId });
}
