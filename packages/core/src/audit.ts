import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  BurstTable,
  DEFAULT_BURST_LIMITS,
  type AuditFacts,
  type BurstLimits,
  type CountedBurst,
} from './audit-bursts.js';
import type { Clock } from './clock.js';
import type { AuditEventType, AuditStore } from './stores/types.js';

export interface AuditContext {
  userId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
}

/**
 * The refusals anyone can provoke without a credential, as fast as they can send requests.
 * Each was one insert per request (issue 15: 2,000 bad bearer tokens, 2,000 rows in 1.2 s):
 * these are gathered into bursts. Everything else, successes above all, is written one by one.
 */
const AGGREGATED: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  'token_rejected',
  'rate_limited',
  'csrf_rejected',
  'login_failed',
  'one_time_token_rejected',
  'reauthentication_failed',
  'service_token_refused',
  'second_factor_failed',
  'passkey_sign_in_failed',
]);

export interface AuditTrailOptions {
  store: AuditStore;
  log: Logger;
  clock: Clock;
  /** Rows older than this are deleted by `sweep` (GATEHOUSE_AUDIT_RETENTION). */
  retentionMs: number;
  /**
   * The user id a counted row, written up to a window later, may name: the id while the
   * account exists, its pseudonym once deleted. Default: the id as it was.
   */
  currentUserId?: (userId: string) => Promise<string>;
  bursts?: Partial<BurstLimits>;
  /** How often ended windows are looked for and their counts written. */
  tickMs?: number;
}

const DEFAULT_TICK_MS = 5_000;

/**
 * Writes auth events to the store and the security log. What goes in is chosen field by
 * field: ids, IP, user agent and a reason code, never a password, token, hash or body.
 * Repeats of a refusal are counted in memory and written as one row with a `count`
 * (audit-bursts.ts), so a flood costs a few rows per source and minute, not one per request.
 */
export class AuditTrail {
  private readonly store: AuditStore;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly currentUserId: (userId: string) => Promise<string>;
  private readonly bursts: BurstTable;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Counted rows being written, one after another; never rejects (failures are logged). */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: AuditTrailOptions) {
    this.store = options.store;
    this.log = options.log;
    this.clock = options.clock;
    this.retentionMs = options.retentionMs;
    this.currentUserId = options.currentUserId ?? ((userId) => Promise.resolve(userId));
    this.bursts = new BurstTable({ ...DEFAULT_BURST_LIMITS, ...options.bursts });
    // Started here, outside any request, so its writes never join a request's transaction.
    this.timer = setInterval(() => {
      void this.writeEnded();
    }, options.tickMs ?? DEFAULT_TICK_MS);
    this.timer.unref();
  }

  async record(type: AuditEventType, context: AuditContext = {}): Promise<void> {
    const at = this.clock();
    const facts: AuditFacts = {
      type,
      userId: context.userId ?? null,
      sessionId: context.sessionId ?? null,
      ip: context.ip ?? null,
      userAgent: truncate(context.userAgent ?? null, 512),
      reason: context.reason ?? null,
    };
    if (this.closed || !AGGREGATED.has(type)) {
      await this.write(facts, at, 1, at);
      return;
    }
    const now = this.bursts.add(facts, at);
    if (now === undefined) {
      // A repeat inside its burst's window: counted, and written with the others when it ends.
      this.log.debug({ event: type, userId: facts.userId, ip: facts.ip, reason: facts.reason, repeat: true });
      return;
    }
    await this.write(now, at, 1, at);
  }

  /** Writes every count held now, ending their windows early (tests, shutdown). */
  flush(): Promise<void> {
    return this.writeCounts(this.bursts.takeAll());
  }

  /** Housekeeping: writes the counts of ended windows, then deletes rows past the retention. */
  async sweep(): Promise<number> {
    await this.writeEnded();
    return this.store.deleteOlderThan(this.clock() - this.retentionMs);
  }

  /** Stops the timer and writes what is still counted; events after this are written one by one. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.closed = true;
    await this.flush();
  }

  private writeEnded(): Promise<void> {
    return this.writeCounts(this.bursts.takeEnded(this.clock()));
  }

  private writeCounts(counts: CountedBurst[]): Promise<void> {
    if (counts.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      for (const counted of counts) {
        try {
          const { facts } = counted;
          const userId = facts.userId === null ? null : await this.currentUserId(facts.userId);
          await this.write({ ...facts, userId }, counted.firstAt, counted.count, counted.lastAt, true);
        } catch (error) {
          // Nobody is waiting on a counted row: say in the log what could not be stored.
          this.log.error(
            { err: error, event: counted.facts.type, ip: counted.facts.ip, count: counted.count },
            'audit: a counted burst could not be written',
          );
        }
      }
    });
    return this.writing;
  }

  private async write(facts: AuditFacts, at: number, count: number, lastAt: number, counted = false): Promise<void> {
    this.log.info({
      event: facts.type,
      userId: facts.userId,
      sessionId: facts.sessionId,
      ip: facts.ip,
      reason: facts.reason,
      ...(counted ? { count, at, lastAt } : {}),
    });
    await this.store.record({ id: randomUUID(), ...facts, at, count, lastAt });
  }
}

function truncate(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value;
}
