import type { RevocationRecord } from './stores/types.js';

/**
 * What one instance tells every other instance so their in-process caches never outlive a
 * revocation: a denylist entry (sid, jti or API key), or cookie sessions that ended.
 * Messages carry ids only, never a token, hash or secret.
 */
export type PushMessage =
  | { type: 'revocation'; entry: RevocationRecord }
  | { type: 'sessions_ended'; sessionIds: string[] }
  /** The user's record changed (email, verification): cached copies must be re-read. */
  | { type: 'user_changed'; userId: string }
  /** Someone's revocations may have missed the channel: everyone re-reads the store. */
  | { type: 'resync' };

export interface PushListener {
  /** Applies one message to this process's caches; must be idempotent (a publisher hears itself). */
  onMessage(message: PushMessage): void;
  /**
   * The channel came back after a gap in which messages may have been lost: forget every
   * cached credential and re-read the denylist. The channel stays not-live until it resolves.
   */
  onResync(): Promise<void>;
}

/**
 * How revocations reach the other instances. While `live` is false this process cannot be
 * sure it heard every revocation, so it must not answer from its caches: it asks the store
 * on every request (fails slow, never open). `publish` rejects when the message may not have
 * reached everyone; the caller then must not acknowledge the revocation as done.
 */
export interface PushChannel {
  readonly live: boolean;
  /** Resolves once live; rejects if that does not happen soon (start-up fails loudly). */
  ready(): Promise<void>;
  publish(message: PushMessage): Promise<void>;
  listen(listener: PushListener): void;
  close(): Promise<void>;
}

/**
 * A channel with nobody at the other end: nothing to publish, nothing ever arrives. Whether
 * caches may be trusted then depends on who else writes to the database:
 * - `singleProcess()`: nobody. Every revocation is applied where it happens; caches are live.
 * - `sharedDatabase()`: other instances may (PostgreSQL) and nothing connects them, so no
 *   in-process cache can be trusted and every request asks the store: correct with any
 *   number of instances, slower than with Redis (DEPLOY.md).
 */
export class LocalPushChannel implements PushChannel {
  private constructor(readonly live: boolean) {}

  static singleProcess(): LocalPushChannel {
    return new LocalPushChannel(true);
  }

  static sharedDatabase(): LocalPushChannel {
    return new LocalPushChannel(false);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  publish(): Promise<void> {
    return Promise.resolve();
  }

  listen(): void {
    // Nobody sends anything.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
