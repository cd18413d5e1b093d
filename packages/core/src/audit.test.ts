import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BurstTable, DEFAULT_BURST_LIMITS, type AuditFacts } from './audit-bursts.js';
import { AuditTrail, type AuditTrailOptions } from './audit.js';
import type { AuditEvent, AuditStore, NewAuditEvent } from './stores/types.js';

// The aggregation of issue 15 item 4, without HTTP: what reaches the store and the log when
// one source, or very many, flood the refusals anyone can provoke.

const T0 = 1_700_000_000_000;
const DAY = 24 * 60 * 60 * 1000;

class MemoryAuditStore implements AuditStore {
  readonly rows: AuditEvent[] = [];
  failing = false;

  record(event: NewAuditEvent): Promise<void> {
    if (this.failing) return Promise.reject(new Error('disk full'));
    this.rows.push({ ...event, count: event.count ?? 1, lastAt: event.lastAt ?? event.at });
    return Promise.resolve();
  }
  list(): Promise<AuditEvent[]> {
    return Promise.resolve([...this.rows]);
  }
  pseudonymize(): Promise<number> {
    return Promise.resolve(0);
  }
  deleteOlderThan(cutoff: number): Promise<number> {
    const before = this.rows.length;
    this.rows.splice(0, this.rows.length, ...this.rows.filter((row) => row.at >= cutoff));
    return Promise.resolve(before - this.rows.length);
  }
}

const total = (rows: AuditEvent[]) => rows.reduce((sum, row) => sum + row.count, 0);

const trails: AuditTrail[] = [];
afterEach(async () => {
  await Promise.all(trails.splice(0).map((trail) => trail.close()));
});

function setup(options: Partial<AuditTrailOptions> = {}) {
  const store = new MemoryAuditStore();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let now = T0;
  const trail = new AuditTrail({
    store,
    log: pino({ level: 'info' }, sink),
    clock: () => now,
    retentionMs: 90 * DAY,
    ...options,
  });
  trails.push(trail);
  return {
    store,
    trail,
    lines,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const FROM = { ip: '203.0.113.7', userAgent: 'curl/8', reason: 'bearer:malformed' };

describe('AuditTrail under a flood', () => {
  it('10,000 bad tokens from one client: five rows at once, then one count when the window ends', async () => {
    const { store, trail, advance } = setup();
    for (let i = 0; i < 10_000; i++) await trail.record('token_rejected', FROM);
    expect(store.rows).toHaveLength(5);

    advance(60_000);
    await trail.sweep();
    expect(store.rows).toHaveLength(6);
    expect(store.rows[5]).toMatchObject({ ...FROM, type: 'token_rejected', count: 9_995, at: T0, lastAt: T0 });
    expect(total(store.rows)).toBe(10_000);
  });

  it('the flood goes on: each new window costs the same few rows again', async () => {
    const { store, trail, advance } = setup();
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 100; i++) await trail.record('csrf_rejected', { ...FROM, reason: 'origin_untrusted' });
      advance(60_000);
    }
    await trail.flush();
    expect(store.rows.length).toBeLessThanOrEqual(10 * 6);
    expect(total(store.rows)).toBe(1_000);
  });

  it('writes the count on its own timer once the window is over, with no further event', async () => {
    const { store, trail, advance } = setup({ tickMs: 10 });
    for (let i = 0; i < 8; i++) await trail.record('login_failed', { ...FROM, reason: 'unknown_email' });
    advance(60_000);
    await expect.poll(() => store.rows.length).toBe(6);
    expect(store.rows[5]?.count).toBe(3);
  });

  it('successes and other security events are written one by one, however many', async () => {
    const { store, trail } = setup();
    for (let i = 0; i < 20; i++) await trail.record('login_succeeded', { ...FROM, userId: 'user-1' });
    for (let i = 0; i < 20; i++) await trail.record('refresh_reused', { ...FROM, userId: 'user-1' });
    expect(store.rows).toHaveLength(40);
    expect(store.rows.every((row) => row.count === 1)).toBe(true);
  });

  it('different reasons, users and agents are kept apart', async () => {
    const { store, trail } = setup();
    for (const reason of ['origin_untrusted', 'token_missing']) {
      for (const userId of ['user-1', 'user-2']) {
        await trail.record('csrf_rejected', { ...FROM, reason, userId });
        await trail.record('csrf_rejected', { ...FROM, reason, userId, userAgent: 'other' });
      }
    }
    expect(store.rows).toHaveLength(8);
  });

  it('rotating the User-Agent: past 64 agents, one source shares one burst without them', async () => {
    const { store, trail } = setup();
    for (let i = 0; i < 5_000; i++) await trail.record('token_rejected', { ...FROM, userAgent: `bot/${String(i)}` });
    await trail.flush();
    expect(store.rows.length).toBeLessThanOrEqual(64 + 6);
    expect(total(store.rows)).toBe(5_000);
    expect(store.rows.at(-1)).toMatchObject({
      ip: FROM.ip,
      userAgent: null,
      reason: FROM.reason,
      count: 5_000 - 64 - 5,
    });
  });

  it('very many sources: memory stays bounded, the excess lands in one overflow count per type', async () => {
    const { store, trail } = setup({ bursts: { maxBursts: 100 } });
    for (let i = 0; i < 3_000; i++)
      await trail.record('token_rejected', { ...FROM, ip: `2001:db8::${i.toString(16)}` });
    expect(store.rows.length).toBeLessThanOrEqual(100 + 5);
    await trail.flush();
    expect(total(store.rows)).toBe(3_000);
    expect(store.rows.at(-1)).toMatchObject({ ip: null, userAgent: null, reason: 'overflow', count: 3_000 - 105 });
  });

  it('logs the repeats at debug only; the count gets one info line', async () => {
    const { trail, lines } = setup();
    for (let i = 0; i < 1_000; i++) await trail.record('rate_limited', { ...FROM, reason: 'login_per_ip' });
    await trail.flush();
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toMatchObject({ event: 'rate_limited', count: 995, ip: FROM.ip });
  });

  it('a count that cannot be stored is logged as an error, never thrown at an unrelated caller', async () => {
    const { store, trail, lines } = setup();
    for (let i = 0; i < 7; i++) await trail.record('token_rejected', FROM);
    store.failing = true;
    await trail.flush();
    expect(lines.at(-1)).toMatchObject({ level: 50, event: 'token_rejected', count: 2 });
    // A first event still fails its own request, as before: nothing is acknowledged unwritten.
    await expect(trail.record('token_rejected', { ...FROM, reason: 'other' })).rejects.toThrow('disk full');
  });

  it('a counted row names the user as `currentUserId` says at write time (a deleted account: its pseudonym)', async () => {
    const { store, trail } = setup({ currentUserId: (id) => Promise.resolve(`deleted:${id.length.toString()}`) });
    for (let i = 0; i < 6; i++) await trail.record('csrf_rejected', { ...FROM, userId: 'user-1' });
    await trail.flush();
    expect(store.rows.at(-1)).toMatchObject({ userId: 'deleted:6', count: 1 });
  });

  it('close writes what is counted; later events are written one by one', async () => {
    const { store, trail } = setup();
    for (let i = 0; i < 9; i++) await trail.record('token_rejected', FROM);
    await trail.close();
    expect(total(store.rows)).toBe(9);
    await trail.record('token_rejected', FROM);
    await trail.record('token_rejected', FROM);
    expect(store.rows).toHaveLength(8);
  });

  it('sweep deletes rows past the retention and keeps the rest', async () => {
    const { store, trail, advance } = setup();
    await trail.record('signup', { userId: 'user-1' });
    advance(89 * DAY);
    await trail.record('logout', { userId: 'user-1' });
    expect(await trail.sweep()).toBe(0);
    advance(2 * DAY);
    expect(await trail.sweep()).toBe(1);
    expect(store.rows.map((row) => row.type)).toEqual(['logout']);
  });
});

describe('BurstTable', () => {
  const facts = (ip: string): AuditFacts => ({
    type: 'token_rejected',
    ip,
    userId: null,
    sessionId: null,
    userAgent: null,
    reason: 'x',
  });

  it('never holds more than maxBursts plus one overflow burst per type', () => {
    const table = new BurstTable({ ...DEFAULT_BURST_LIMITS, maxBursts: 50 });
    for (let i = 0; i < 10_000; i++) table.add(facts(`10.0.${String(i >> 8)}.${String(i & 255)}`), T0 + i);
    expect(table.size).toBe(51);
  });

  it('ends windows in order, freeing their room', () => {
    const table = new BurstTable({ ...DEFAULT_BURST_LIMITS, maxBursts: 50 });
    for (let i = 0; i < 50; i++) table.add(facts(`10.0.0.${String(i)}`), T0);
    expect(table.takeEnded(T0 + 59_999)).toEqual([]);
    expect(table.size).toBe(50);
    expect(table.takeEnded(T0 + 60_000)).toEqual([]); // none had repeats: nothing to write
    expect(table.size).toBe(0);
  });
});
