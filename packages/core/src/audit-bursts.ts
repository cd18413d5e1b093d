import type { AuditEventType } from './stores/types.js';

/** Everything an audit event says apart from its id and time. */
export interface AuditFacts {
  type: AuditEventType;
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
}

export interface BurstLimits {
  /** How long a burst of identical events is gathered before its count is written. */
  windowMs: number;
  /** Events of a burst written one by one (each visible at once) before the rest are counted. */
  writtenPerWindow: number;
  /** Distinct bursts one source (IP) may hold; past that its agents and users share one burst. */
  burstsPerSource: number;
  /** Bursts held overall; past that, new ones fall into one overflow burst per event type. */
  maxBursts: number;
}

export const DEFAULT_BURST_LIMITS: BurstLimits = {
  windowMs: 60_000,
  writtenPerWindow: 5,
  burstsPerSource: 64,
  maxBursts: 10_000,
};

/** The repeats of a burst that were counted, not written: one row to write. */
export interface CountedBurst {
  facts: AuditFacts;
  count: number;
  firstAt: number;
  lastAt: number;
}

interface Burst {
  facts: AuditFacts;
  /** The source it counts against (`burstsPerSource`); none for the overflow bursts. */
  source: string | undefined;
  endsAt: number;
  written: number;
  counted: number;
  firstCountedAt: number;
  lastCountedAt: number;
}

/**
 * Identical audit events (same type, source, user, session, agent and reason) within one window
 * form a burst: its first few are written as they happen, the rest only counted, and the count
 * is handed back to be written as one row when the window ends. Memory is bounded: at most
 * `maxBursts` bursts plus one overflow burst per event type.
 */
export class BurstTable {
  /** In the order their windows started, which (all windows being equal) is the order they end. */
  private readonly bursts = new Map<string, Burst>();
  private readonly perSource = new Map<string, number>();
  private ended: CountedBurst[] = [];

  constructor(private readonly limits: BurstLimits) {}

  get size(): number {
    return this.bursts.size;
  }

  /** Files one event; returns the facts to write now, or undefined if it was only counted. */
  add(facts: AuditFacts, at: number): AuditFacts | undefined {
    this.endWindows(at);
    const burst = this.burstFor(facts, at);
    if (burst.written < this.limits.writtenPerWindow) {
      burst.written += 1;
      return burst.facts;
    }
    if (burst.counted === 0) burst.firstCountedAt = at;
    burst.counted += 1;
    burst.lastCountedAt = Math.max(burst.lastCountedAt, at);
    return undefined;
  }

  /** The counts of the bursts whose window has ended by `now` (each handed out once). */
  takeEnded(now: number): CountedBurst[] {
    this.endWindows(now);
    const ended = this.ended;
    this.ended = [];
    return ended;
  }

  /** Ends every window now (shutdown, tests). */
  takeAll(): CountedBurst[] {
    for (const [key, burst] of this.bursts) this.end(key, burst);
    return this.takeEnded(Number.NEGATIVE_INFINITY);
  }

  private burstFor(facts: AuditFacts, at: number): Burst {
    let key = keyOf(facts);
    const exact = this.bursts.get(key);
    if (exact !== undefined) return exact;
    let kept = facts;
    let source: string | undefined = facts.ip ?? '';
    // Attack (issue 15): one client rotating its User-Agent (or the accounts it names) to get
    // a row per request. Past its share, the source's new bursts keep only type, IP and reason.
    if ((this.perSource.get(source) ?? 0) >= this.limits.burstsPerSource) {
      kept = { ...facts, userId: null, sessionId: null, userAgent: null };
      key = keyOf(kept);
      const shared = this.bursts.get(key);
      if (shared !== undefined) return shared;
    }
    // Attack (issue 15): many sources at once (a botnet, an IPv6 range) growing this table
    // without end. When it is full, new bursts share one count per event type.
    if (this.bursts.size >= this.limits.maxBursts) {
      kept = { type: facts.type, userId: null, sessionId: null, ip: null, userAgent: null, reason: 'overflow' };
      key = keyOf(kept);
      source = undefined;
      const overflow = this.bursts.get(key);
      if (overflow !== undefined) return overflow;
    }
    const burst: Burst = {
      facts: kept,
      source,
      endsAt: at + this.limits.windowMs,
      written: 0,
      counted: 0,
      firstCountedAt: at,
      lastCountedAt: at,
    };
    this.bursts.set(key, burst);
    if (source !== undefined) this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    return burst;
  }

  private endWindows(now: number): void {
    for (const [key, burst] of this.bursts) {
      if (burst.endsAt > now) break;
      this.end(key, burst);
    }
  }

  private end(key: string, burst: Burst): void {
    this.bursts.delete(key);
    if (burst.source !== undefined) {
      const left = (this.perSource.get(burst.source) ?? 1) - 1;
      if (left > 0) this.perSource.set(burst.source, left);
      else this.perSource.delete(burst.source);
    }
    if (burst.counted > 0) {
      this.ended.push({
        facts: burst.facts,
        count: burst.counted,
        firstAt: burst.firstCountedAt,
        lastAt: burst.lastCountedAt,
      });
    }
  }
}

function keyOf(facts: AuditFacts): string {
  return JSON.stringify([facts.type, facts.ip, facts.userId, facts.sessionId, facts.userAgent, facts.reason]);
}
