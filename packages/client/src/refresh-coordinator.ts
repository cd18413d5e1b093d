import { withExclusiveLock } from './cross-tab.js';

/** How one POST /refresh ended; applied to this tab (and told to the others) before it returns. */
export type RefreshOutcome = 'refreshed' | 'signed-out' | 'failed';

/** What another tab reported while this one waited for the lock. */
export type PeerOutcome = 'credential' | 'refresh-failed' | 'signed-out' | 'timeout';

interface RefreshCoordinatorOptions {
  lockName: string;
  /** Changes whenever a new credential arrives, from this tab or another. */
  credentialVersion: () => number;
  /** One POST /refresh, its result applied and broadcast. Runs while holding the lock. */
  refresh: () => Promise<RefreshOutcome>;
  /** The next outcome another tab broadcasts, or `timeout`. */
  nextPeerOutcome: (timeoutMs: number) => Promise<PeerOutcome>;
}

/**
 * Long enough for a message already posted by the tab that held the lock; short enough that
 * a tab closed mid-refresh (it posts nothing) costs little.
 */
const PEER_WAIT_MS = 3000;

/** How long the lock outlives a refresh; see withExclusiveLock. Delays only another refresh. */
const LOCK_LINGER_MS = 200;

/**
 * Refresh tokens rotate: presenting one twice outside the server's grace window revokes the
 * whole sign-in. So one refresh at a time across all tabs (an origin-wide Web Lock), and a
 * caller whose credential has already been replaced — by this tab or another — does not
 * refresh at all. Returns whether a usable credential is there afterwards.
 */
export function createRefreshCoordinator(options: RefreshCoordinatorOptions) {
  let inFlight: Promise<boolean> | undefined;

  async function underLock(seenVersion: number): Promise<boolean> {
    return withExclusiveLock(
      options.lockName,
      async (waited) => {
        if (options.credentialVersion() !== seenVersion) return true;
        if (waited) {
          // The lock holder posted its outcome before releasing the lock, but the lock can be
          // granted here before that message is delivered: wait for it rather than rotate again.
          const peer = await options.nextPeerOutcome(PEER_WAIT_MS);
          if (options.credentialVersion() !== seenVersion) return true;
          if (peer === 'signed-out') return false;
        }
        return (await options.refresh()) === 'refreshed';
      },
      LOCK_LINGER_MS,
    );
  }

  /** Refresh unless the credential seen at `seenVersion` has been replaced meanwhile. */
  return function refreshAfter(seenVersion: number): Promise<boolean> {
    if (options.credentialVersion() !== seenVersion) return Promise.resolve(true);
    // Concurrent callers in this tab share one attempt.
    inFlight ??= underLock(seenVersion).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
