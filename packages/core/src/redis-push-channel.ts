import type { Redis } from 'ioredis';
import type { PushChannel, PushListener, PushMessage } from './push-channel.js';
import type { RevocationKind } from './stores/types.js';
import { storeUnavailable } from './stores/outage.js';

export interface RedisPushChannelOptions {
  /** Publishes; shared with the other Redis stores. */
  publisher: Redis;
  /** A connection of its own: a subscribed connection does nothing else. */
  subscriber: Redis;
  /** The pub/sub channel; the deployment's key prefix keeps deployments apart. */
  channel: string;
  /** Every instance publishes a heartbeat this often. Default 100 ms. */
  heartbeatMs?: number;
  /**
   * Not live once nothing (not even our own heartbeat) was heard for this long: how long a
   * hung Redis can keep a revocation from reaching this instance's caches. Default 400 ms;
   * more than twice `heartbeatMs`.
   */
  silenceMs?: number;
  onError?: (error: unknown) => void;
}

// Issue 15 item 9: with 1 s / 3 s, a Redis frozen mid-flight (SIGSTOP, a stalled host)
// let an instance trust a just-revoked session for up to 3 s. The cost of the shorter
// bound: one PUBLISH per instance per heartbeat, each heard by every instance; measured
// at about 1 % of one Redis core for 10 instances and 2.6 % for 30 (N² deliveries).
const DEFAULTS = { heartbeatMs: 100, silenceMs: 400 } as const;

const HEARTBEAT = JSON.stringify({ type: 'heartbeat' });
const RESYNC = JSON.stringify({ type: 'resync' });
const KINDS: ReadonlySet<string> = new Set<RevocationKind>(['jti', 'sid', 'api_key']);

/**
 * Revocations pushed to every instance over Redis pub/sub. Pub/sub delivers at most once
 * and forgets what it could not deliver, so the channel only calls itself live while it
 * is subscribed, has caught up with the store since it last was not, and keeps hearing the
 * heartbeats (its own included: that proves both directions work). A killed Redis is
 * noticed when the connection closes, a hung one after `silenceMs`: `live` reads the clock
 * on every call, so a request between two ticks already sees the silence. Whenever it
 * comes back it resynchronises before going live, and if one of our own publications
 * failed in the meantime it asks every instance to resynchronise too.
 */
export class RedisPushChannel implements PushChannel {
  private readonly channel: string;
  private readonly heartbeatMs: number;
  private readonly silenceMs: number;
  private readonly listeners: PushListener[] = [];
  private subscribed = false;
  private synced = false;
  private lastHeardAt = 0;
  private lastTickAt = Date.now();
  /** Bumped whenever we may have missed something; a resync counts only if it saw the latest. */
  private resyncWanted = 0;
  private resyncing: Promise<void> | undefined;
  /** Publications or evictions of ours that may not have reached everyone … */
  private failures = 0;
  /** … and how many of them a resync broadcast already covers. */
  private announced = 0;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: RedisPushChannelOptions) {
    this.channel = options.channel;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
    this.silenceMs = options.silenceMs ?? DEFAULTS.silenceMs;
    if (!Number.isSafeInteger(this.heartbeatMs) || this.heartbeatMs < 10) {
      throw new Error('RedisPushChannel: heartbeatMs must be a whole number of milliseconds, at least 10');
    }
    // Shorter, and a heartbeat arriving a little late would flap the channel (and resync).
    if (!Number.isSafeInteger(this.silenceMs) || this.silenceMs <= 2 * this.heartbeatMs) {
      throw new Error(
        'RedisPushChannel: silenceMs must be a whole number of milliseconds, more than twice heartbeatMs',
      );
    }
    const { subscriber } = options;
    subscriber.on('ready', () => {
      this.subscribe();
    });
    subscriber.on('close', () => {
      this.subscribed = false;
      this.markBehind();
    });
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel === this.channel) this.receive(payload);
    });
    this.timer = setInterval(() => {
      this.tick();
    }, this.heartbeatMs);
    this.timer.unref();
    if (subscriber.status === 'ready') this.subscribe();
  }

  get live(): boolean {
    return this.synced && Date.now() - this.lastHeardAt < this.silenceMs;
  }

  listen(listener: PushListener): void {
    this.listeners.push(listener);
  }

  /** Resolves once subscribed and caught up, or throws after `timeoutMs`: for start-up. */
  async ready(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.live) {
      if (Date.now() > deadline) throw new Error('REDIS_URL: the revocation channel did not come up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async publish(message: PushMessage): Promise<void> {
    try {
      await this.options.publisher.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      this.reportMissed();
      throw storeUnavailable(error);
    }
  }

  /** Something that had to reach every instance through Redis did not (a publish, an eviction). */
  reportMissed(): void {
    this.failures += 1;
    this.markBehind();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.synced = false;
    clearInterval(this.timer);
    await this.resyncing;
  }

  private markBehind(): void {
    this.synced = false;
    this.resyncWanted += 1;
  }

  private subscribe(): void {
    this.options.subscriber.subscribe(this.channel).then(
      () => {
        this.subscribed = true;
        this.lastHeardAt = Date.now();
        this.requestResync();
      },
      (error: unknown) => {
        this.options.onError?.(error);
      },
    );
  }

  private tick(): void {
    if (this.closed) return;
    const now = Date.now();
    // How long this process itself did not run (a GC pause, a long synchronous task): Redis
    // may have talked all along, and what it said waits unread in our socket, in order.
    // Silence of our own making is not a hung Redis and must not cost a resync, which
    // flushes the session cache every instance shares. Meanwhile `live` still says false,
    // so nothing is answered from a cache until that backlog has been read.
    const stalledMs = Math.max(0, now - this.lastTickAt - this.heartbeatMs);
    this.lastTickAt = now;
    this.options.publisher.publish(this.channel, HEARTBEAT).catch(() => {
      // Silence is what tells us; the next tick tries again.
    });
    const silentMs = now - this.lastHeardAt;
    if (this.synced && silentMs - stalledMs >= this.silenceMs) this.markBehind();
    if (!this.synced && this.subscribed && silentMs < this.silenceMs && this.resyncing === undefined) {
      this.requestResync();
    }
  }

  private receive(payload: string): void {
    this.lastHeardAt = Date.now();
    const message = parseMessage(payload);
    if (message === undefined) return;
    if (message.type === 'resync') {
      this.requestResync();
      return;
    }
    for (const listener of this.listeners) listener.onMessage(message);
  }

  private requestResync(): void {
    this.markBehind();
    if (this.resyncing !== undefined || this.closed) return;
    this.resyncing = this.resync().finally(() => {
      this.resyncing = undefined;
    });
  }

  /**
   * Catch up with the store; live only if nothing new went wrong meanwhile, otherwise again.
   * Messages that arrive during it are applied as usual.
   */
  private async resync(): Promise<void> {
    try {
      while (!this.closed && this.subscribed) {
        const wanted = this.resyncWanted;
        const failures = this.failures;
        for (const listener of this.listeners) await listener.onResync();
        if (failures > this.announced) {
          await this.options.publisher.publish(this.channel, RESYNC);
          this.announced = failures;
        }
        if (wanted === this.resyncWanted && failures === this.failures) {
          this.synced = true;
          return;
        }
      }
    } catch (error) {
      // The store or Redis is still down: stay not live; the next tick tries again.
      this.options.onError?.(error);
    }
  }
}

/** A message from the channel, checked: anything else (a heartbeat, garbage) is ignored. */
function parseMessage(payload: string): PushMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'resync') return { type: 'resync' };
  if (message.type === 'sessions_ended') {
    const ids = message.sessionIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
    return { type: 'sessions_ended', sessionIds: ids };
  }
  if (message.type === 'user_changed') {
    return typeof message.userId === 'string' ? { type: 'user_changed', userId: message.userId } : undefined;
  }
  if (message.type === 'revocation' && typeof message.entry === 'object' && message.entry !== null) {
    const { kind, value: revoked, expiresAt } = message.entry as Record<string, unknown>;
    if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
    if (typeof revoked !== 'string' || typeof expiresAt !== 'number') return undefined;
    return { type: 'revocation', entry: { kind: kind as RevocationKind, value: revoked, expiresAt } };
  }
  return undefined;
}
