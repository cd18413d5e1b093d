import type { Clock } from '../clock.js';
import { LocalPushChannel, type PushChannel } from '../push-channel.js';
import type { RevocationKind, RevocationRecord, RevocationStore } from '../stores/types.js';

export interface RevocationListOptions {
  store: RevocationStore;
  clock: Clock;
  /** Carries every new entry to the other instances. Default: this process only. */
  push?: PushChannel;
}

/**
 * The denylist, held in process so checking it costs no I/O on the hot path. Every entry
 * is written to the store first (so it survives restarts and reaches other instances) and
 * expires when the credential it denies would have expired anyway.
 */
export class RevocationList {
  private readonly store: RevocationStore;
  private readonly clock: Clock;
  private readonly push: PushChannel;
  /** kind → value → expiresAt (epoch ms). */
  private readonly denied = new Map<RevocationKind, Map<string, number>>();
  private loading: Promise<void> | undefined;

  constructor(options: RevocationListOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.push = options.push ?? LocalPushChannel.singleProcess();
  }

  /** Loads live entries from the store. Memoized. */
  ready(): Promise<void> {
    // A failed load is forgotten so the next call retries instead of replaying the failure.
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  /** Denies at once in this process, after writing the entry to the store, then everywhere. */
  async deny(kind: RevocationKind, value: string, expiresAt: number): Promise<void> {
    // Store first: once this resolves the denial is durable, so an acknowledged logout still
    // holds after a restart. If the write fails the caller sees the error, not a false success.
    const entry: RevocationRecord = { kind, value, expiresAt };
    await this.store.add(entry);
    this.apply(entry);
    // Then the other instances; a failed push also surfaces as an error, never a silent success.
    await this.push.publish({ type: 'revocation', entry });
  }

  /**
   * The check for a request: from memory while the push channel is live; otherwise this
   * process may have missed an entry, so the store answers (and an outage is an error).
   */
  async isRevoked(kind: RevocationKind, value: string): Promise<boolean> {
    await this.ready();
    if (this.push.live) return this.isDenied(kind, value);
    return this.isDenied(kind, value) || (await this.store.isRevoked(kind, value, this.clock()));
  }

  /** Synchronous and in memory: the hot-path check. Call `ready()` once before. */
  isDenied(kind: RevocationKind, value: string): boolean {
    const values = this.denied.get(kind);
    const expiresAt = values?.get(value);
    if (values === undefined || expiresAt === undefined) return false;
    // Past its expiry the credential is refused for being expired; the entry is dead weight.
    if (expiresAt <= this.clock()) {
      values.delete(value);
      return false;
    }
    return true;
  }

  /** An entry another instance wrote (for the scale-out push channel). */
  apply(entry: RevocationRecord): void {
    if (entry.expiresAt <= this.clock()) return;
    let values = this.denied.get(entry.kind);
    if (values === undefined) {
      values = new Map();
      this.denied.set(entry.kind, values);
    }
    // Later expiry wins, so entries arriving out of order never shorten a denial.
    const current = values.get(entry.value);
    if (current === undefined || entry.expiresAt > current) values.set(entry.value, entry.expiresAt);
  }

  /** Re-reads the store: after the push channel was down and entries may have been missed. */
  async reload(): Promise<void> {
    await this.ready();
    await this.load();
  }

  async deleteExpired(): Promise<number> {
    const now = this.clock();
    for (const values of this.denied.values()) {
      for (const [value, expiresAt] of values) {
        if (expiresAt <= now) values.delete(value);
      }
    }
    return this.store.deleteExpired(now);
  }

  private async load(): Promise<void> {
    const entries = await this.store.listActive(this.clock());
    for (const entry of entries) this.apply(entry);
  }
}
