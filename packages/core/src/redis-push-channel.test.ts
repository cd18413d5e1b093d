import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisPushChannel, type RedisPushChannelOptions } from './redis-push-channel.js';

// The channel's sense of time against a stand-in for Redis pub/sub, on fake timers: how
// soon a hung Redis stops the caches being trusted (issue 15 item 9), and that this
// process stalling on its own does not pass for a hung Redis. The real thing, with a
// redis-server frozen by SIGSTOP under load, is test-support/scale-out/redis-hang.test.ts.

const CHANNEL = 'test:revocations';

/** Redis pub/sub as far as the channel uses it. `hung`: commands go unanswered, nothing is delivered. */
class FakePubSub {
  hung = false;
  /** What was delivered but not yet read: this process was not running to read it. */
  unread: [FakeConnection, string][] | undefined;
  readonly subscribers = new Set<FakeConnection>();

  connection(): FakeConnection {
    return new FakeConnection(this);
  }

  /** Stop reading (this process is busy); what arrives waits, as in a socket buffer. */
  stallReads(): void {
    this.unread = [];
  }

  /** Read everything that waited, in order. */
  resumeReads(): void {
    const unread = this.unread ?? [];
    this.unread = undefined;
    for (const [connection, payload] of unread) connection.emit('message', CHANNEL, payload);
  }

  deliver(payload: string): number {
    for (const subscriber of this.subscribers) {
      if (this.unread === undefined) subscriber.emit('message', CHANNEL, payload);
      else this.unread.push([subscriber, payload]);
    }
    return this.subscribers.size;
  }
}

class FakeConnection extends EventEmitter {
  status = 'ready';

  constructor(private readonly bus: FakePubSub) {
    super();
  }

  publish(_channel: string, payload: string): Promise<number> {
    if (this.bus.hung) return new Promise(() => undefined);
    return Promise.resolve(this.bus.deliver(payload));
  }

  subscribe(): Promise<number> {
    this.bus.subscribers.add(this);
    return Promise.resolve(1);
  }
}

let bus: FakePubSub;
let resyncs: number;
const channels: RedisPushChannel[] = [];

function channel(options: Partial<RedisPushChannelOptions> = {}): RedisPushChannel {
  const created = new RedisPushChannel({
    publisher: bus.connection() as unknown as Redis,
    subscriber: bus.connection() as unknown as Redis,
    channel: CHANNEL,
    ...options,
  });
  created.listen({
    onMessage: () => undefined,
    onResync: () => {
      resyncs += 1;
      return Promise.resolve();
    },
  });
  channels.push(created);
  return created;
}

/** Lets promise callbacks (subscribe, resync) run without moving the clock. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
  bus = new FakePubSub();
  resyncs = 0;
});

afterEach(async () => {
  for (const created of channels.splice(0)) await created.close();
  vi.useRealTimers();
});

describe('RedisPushChannel: a Redis that hangs instead of dying', () => {
  it('by default stops trusting caches 400 ms after the last heartbeat heard, not 3 s', async () => {
    const push = channel();
    await settle();
    expect(push.live).toBe(true);
    bus.hung = true; // SIGSTOP: the connection stays open, nothing closes, nothing arrives

    await vi.advanceTimersByTimeAsync(399);
    expect(push.live).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(push.live).toBe(false);
  });

  it('says not live at the moment the silence is long enough, without waiting for its timer', async () => {
    const push = channel({ heartbeatMs: 100, silenceMs: 400 });
    await settle();
    bus.hung = true;
    // Only the clock moves: no timer runs, as for a request arriving between two ticks.
    vi.setSystemTime(Date.now() + 400);
    expect(push.live).toBe(false);
  });

  it('once Redis answers again, resynchronises before it trusts its caches', async () => {
    const push = channel({ heartbeatMs: 100, silenceMs: 400 });
    await settle();
    expect(resyncs).toBe(1);
    bus.hung = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(push.live).toBe(false);

    bus.hung = false;
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(resyncs).toBe(2);
    expect(push.live).toBe(true);
  });

  it('a stall of this process (2 s without running) while Redis kept talking costs no resync', async () => {
    // A resync flushes the session cache every instance shares: a long GC pause or a big
    // synchronous task here must not pass for a hung Redis.
    const push = channel({ heartbeatMs: 100, silenceMs: 400 });
    await settle();
    expect(resyncs).toBe(1);

    bus.stallReads();
    bus.deliver(JSON.stringify({ type: 'heartbeat' })); // another instance, heard meanwhile
    vi.setSystemTime(Date.now() + 2000); // the clock moved; no timer ran
    expect(push.live).toBe(false); // what waits unread proves nothing yet
    await vi.advanceTimersToNextTimerAsync(); // the first tick after the stall …
    bus.resumeReads(); // … then the socket is read
    expect(push.live).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(resyncs).toBe(1);
    expect(push.live).toBe(true);
  });

  it('refuses at construction a silence that two heartbeats could span', () => {
    expect(() => channel({ heartbeatMs: 100, silenceMs: 200 })).toThrow(/silenceMs/);
    expect(() => channel({ heartbeatMs: 0 })).toThrow(/heartbeatMs/);
    expect(() => channel({ heartbeatMs: Number.NaN })).toThrow(/heartbeatMs/);
  });
});
