import type { AuthMode, SignedOutReason } from './types.js';

/** What the tabs of one origin tell each other about the sign-in they share. */
export type TabMessage =
  | {
      type: 'credential';
      mode: AuthMode;
      sessionId: string | undefined;
      /** memory-token only: the other tabs need the token itself, the cookie modes do not. */
      grant?: { token: string; expiresAt: number; refreshAt: number };
    }
  | { type: 'refresh-failed' }
  | { type: 'signed-out'; reason: SignedOutReason };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

const MODES: readonly unknown[] = ['session', 'jwt-cookie', 'memory-token'];
const REASONS: readonly unknown[] = ['expired', 'revoked', 'other-tab', 'signed-out', 'deleted'];

/**
 * A BroadcastChannel between the tabs of this origin (a no-op where there is none). Only
 * same-origin pages can join it, and they could read the token from their own client anyway;
 * incoming messages are still checked, so a malformed one is ignored rather than trusted.
 */
export function openTabChannel(name: string, onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: MessageEvent) => {
    const message = asTabMessage(event.data);
    if (message !== undefined) onMessage(message);
  };
  return {
    post: (message) => {
      channel.postMessage(message);
    },
    close: () => {
      channel.close();
    },
  };
}

function asTabMessage(data: unknown): TabMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'credential': {
      if (!MODES.includes(message.mode)) return undefined;
      const sessionId = typeof message.sessionId === 'string' ? message.sessionId : undefined;
      const grant = message.grant as Record<string, unknown> | undefined;
      if (grant === undefined) return { type: 'credential', mode: message.mode as AuthMode, sessionId };
      const { token, expiresAt, refreshAt } = grant;
      if (typeof token !== 'string' || typeof expiresAt !== 'number' || typeof refreshAt !== 'number') return undefined;
      return { type: 'credential', mode: message.mode as AuthMode, sessionId, grant: { token, expiresAt, refreshAt } };
    }
    case 'refresh-failed':
      return { type: 'refresh-failed' };
    case 'signed-out':
      return REASONS.includes(message.reason)
        ? { type: 'signed-out', reason: message.reason as SignedOutReason }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Runs `work` holding an origin-wide exclusive Web Lock, so only one tab refreshes at a time.
 * `waited` says whether another tab held the lock first (it was refreshing). The lock is kept
 * `lingerMs` after the work is done (the caller has its result at once): a tab whose request
 * failed with the old token just then is still held back until the news of the new one, posted
 * before, has reached it. Without the Web Locks API (an insecure context, an old browser)
 * there is only this tab to coordinate.
 */
export function withExclusiveLock<T>(
  name: string,
  work: (waited: boolean) => Promise<T>,
  lingerMs: number,
): Promise<T> {
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
  if (locks === undefined) return work(false);
  return new Promise<T>((resolve, reject) => {
    const run = async (waited: boolean): Promise<void> => {
      try {
        resolve(await work(waited));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      await new Promise((done) => setTimeout(done, lingerMs));
    };
    locks
      .request(name, { ifAvailable: true }, async (lock) => {
        if (lock === null) return false;
        await run(false);
        return true;
      })
      .then(async (ran) => {
        if (!ran) await locks.request(name, () => run(true));
      })
      .catch((error: unknown) => {
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}
