import type { PushListener, PushMessage } from './push-channel.js';
import type { SessionManager } from './sessions.js';
import type { ApiKeys } from './tokens/api-keys.js';
import type { RevocationList } from './tokens/revocation-list.js';
import type { UserCache } from './user-cache.js';

export interface PushReceiverDeps {
  sessions: SessionManager;
  users: UserCache;
  apiKeys: ApiKeys;
  revocations: RevocationList;
}

/**
 * What this instance does with revocations other instances push: deny the entry, evict
 * whatever is cached for it. Every step is idempotent, because a publisher hears itself.
 */
export function pushReceiver({ sessions, users, apiKeys, revocations }: PushReceiverDeps): PushListener {
  return {
    onMessage(message: PushMessage): void {
      switch (message.type) {
        case 'revocation':
          revocations.apply(message.entry);
          if (message.entry.kind === 'api_key') apiKeys.evict(message.entry.value);
          return;
        case 'sessions_ended':
          sessions.evictCached(message.sessionIds);
          return;
        case 'user_changed':
          sessions.evictUser(message.userId);
          users.evict(message.userId);
          return;
        case 'resync':
          // The channel handles it by calling onResync.
          return;
      }
    },
    async onResync(): Promise<void> {
      sessions.clearCache();
      apiKeys.clearCache();
      await revocations.reload();
    },
  };
}
