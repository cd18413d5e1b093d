import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { MailMessage, MailTransport } from './mail-message.js';
import type { MailOutboxStore, QueuedMailRecord } from './mail-outbox-store.js';
import { deriveMailKey, openMail, sealMail } from './mail-payload.js';

export interface MailOutboxOptions {
  store: MailOutboxStore;
  transport: MailTransport;
  /** GATEHOUSE_SECRET: queued messages are encrypted under a key derived from it. */
  secret: string;
  clock: Clock;
  log: Logger;
  /** Wait before each retry; after the last one fails the message is kept as dead. */
  retryDelaysMs?: readonly number[];
  /** How long one instance holds a message it is sending before another may take it. */
  leaseMs?: number;
  /** How often `start()` looks for due messages (retries, and other instances' leftovers). */
  pollIntervalMs?: number;
}

const DEFAULTS = {
  // 5 s, 30 s, 2 min, 10 min, 30 min, 1 h: about 1 h 43 min of trying before giving up.
  retryDelaysMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000],
  // Far above the SMTP transport's worst case (10 s connect + 20 s socket).
  leaseMs: 60_000,
  pollIntervalMs: 5_000,
} as const;

const BATCH_SIZE = 20;
const CLOSE_GRACE_MS = 5_000;
// On PostgreSQL the immediate attempt runs on another connection and cannot see a row
// inserted in a transaction that has not committed yet: look once more shortly after.
const FOLLOW_UP_DELAY_MS = 1_000;
const MAX_ERROR_LENGTH = 500;

interface RunResult {
  sent: number;
  claimed: Set<string>;
}

/**
 * The durable mail queue: a message is a row before anyone tries to send it, so a crash, a
 * restart or a mail server that is down loses nothing. Sending happens after the request,
 * in the background; failures are retried with back-off and logged; several instances
 * share the table without sending a message twice (leases).
 */
export class MailOutbox {
  private readonly store: MailOutboxStore;
  private readonly transport: MailTransport;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly key: Uint8Array;
  private readonly retryDelaysMs: readonly number[];
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  /**
   * The async context this outbox was built in (start-up, outside any request). Delivery
   * runs there: started from `enqueue` inside a caller's `atomically`, it would otherwise
   * join that transaction (the stores' proxy follows AsyncLocalStorage), send mail for
   * writes that may still roll back, and hold the transaction open during SMTP.
   */
  private readonly outside = new AsyncResource('MailOutbox');
  /** The last delivery run (settled or not); runs never overlap within one instance. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A run that is queued behind `tail` and not started yet: later requests join it. */
  private queued: Promise<RunResult> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly followUps = new Set<ReturnType<typeof setTimeout>>();
  private closing: Promise<void> | undefined;

  /** A call, not a property test: TypeScript would keep a narrowing across a run's awaits. */
  private isClosed(): boolean {
    return this.closing !== undefined;
  }

  constructor(options: MailOutboxOptions) {
    const retryDelaysMs = options.retryDelaysMs ?? DEFAULTS.retryDelaysMs;
    // A zero delay with a frozen clock would retry in a tight loop inside one run.
    if (!retryDelaysMs.every((delay) => Number.isFinite(delay) && delay > 0)) {
      throw new TypeError('MailOutbox: every retry delay must be a positive number of milliseconds');
    }
    this.store = options.store;
    this.transport = options.transport;
    this.clock = options.clock;
    this.log = options.log;
    this.key = deriveMailKey(options.secret);
    this.retryDelaysMs = [...retryDelaysMs];
    this.leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  }

  /**
   * Queues a message and returns once it is stored (in the caller's transaction, if any);
   * delivery starts in the background and is never awaited here.
   */
  async enqueue(message: MailMessage): Promise<void> {
    if (message.to.trim() === '') throw new TypeError('MailOutbox: a message needs a recipient');
    const id = randomUUID();
    const now = this.clock();
    const record: QueuedMailRecord = {
      id,
      createdAt: now,
      payload: await sealMail(id, message, this.key),
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      lastError: null,
      failedAt: null,
    };
    await this.store.insert(record);
    if (!this.isClosed()) this.kick(id);
  }

  /** Sends every message due now (claiming each first); resolves with how many were sent. */
  async deliverDue(): Promise<number> {
    return (await this.run()).sent;
  }

  /** Delivers what is due now (leftovers from before a restart), then polls. */
  start(): void {
    if (this.timer !== undefined || this.isClosed()) return;
    this.timer = setInterval(() => {
      this.poll();
    }, this.pollIntervalMs);
    this.timer.unref();
    this.poll();
  }

  /** Resolves once nothing is being sent and nothing is due now (for tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await tail;
      if (this.tail !== tail) continue;
      if (this.isClosed()) return;
      const due = await this.outside.runInAsyncScope(() => this.store.listDue(this.clock(), 1));
      if (due.length === 0 && this.tail === tail) return;
      if (due.length > 0) await this.run();
    }
  }

  /** Stops polling, lets a send in progress finish (up to ~5 s), then closes the transport. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.timer);
    for (const timer of this.followUps) clearTimeout(timer);
    this.followUps.clear();
    let grace: ReturnType<typeof setTimeout> | undefined;
    const gracePeriod = new Promise<void>((resolve) => {
      grace = setTimeout(resolve, CLOSE_GRACE_MS);
      grace.unref();
    });
    // A message whose send is cut off keeps its row: the lease runs out and it goes later.
    await Promise.race([this.tail, gracePeriod]);
    clearTimeout(grace);
    await this.transport.close();
  }

  private kick(id: string): void {
    this.run().then(
      (result) => {
        if (!result.claimed.has(id)) this.followUp();
      },
      (error: unknown) => {
        this.log.error({ err: errorMessage(error) }, 'mail delivery run failed');
      },
    );
  }

  private followUp(): void {
    if (this.isClosed()) return;
    const timer = setTimeout(() => {
      this.followUps.delete(timer);
      this.poll();
    }, FOLLOW_UP_DELAY_MS);
    timer.unref();
    this.followUps.add(timer);
  }

  private poll(): void {
    if (this.isClosed()) return;
    this.run().catch((error: unknown) => {
      this.log.error({ err: errorMessage(error) }, 'mail delivery run failed');
    });
  }

  /** Queues a delivery run after the current one; requests made before it starts share it. */
  private run(): Promise<RunResult> {
    if (this.queued !== undefined) return this.queued;
    const run = this.outside.runInAsyncScope(() =>
      this.tail.then(() => {
        this.queued = undefined;
        return this.deliverOnce();
      }),
    );
    this.queued = run;
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async deliverOnce(): Promise<RunResult> {
    const result: RunResult = { sent: 0, claimed: new Set() };
    for (;;) {
      if (this.isClosed()) return result;
      const ids = await this.store.listDue(this.clock(), BATCH_SIZE);
      let claimedAny = false;
      for (const id of ids) {
        if (this.isClosed()) return result;
        const now = this.clock();
        const leaseUntil = now + this.leaseMs;
        // Another instance may have taken it since listDue: then it is theirs to send.
        const record = await this.store.claim(id, now, leaseUntil);
        if (record === undefined) continue;
        claimedAny = true;
        result.claimed.add(id);
        if (await this.deliver(record, leaseUntil)) result.sent += 1;
      }
      // Sent rows are gone and failed ones are due later, so a full batch means more wait.
      if (!claimedAny || ids.length < BATCH_SIZE) return result;
    }
  }

  private async deliver(record: QueuedMailRecord, leaseUntil: number): Promise<boolean> {
    let message: MailMessage;
    try {
      message = await openMail(record.id, record.payload, this.key);
    } catch {
      // No retry can help: the secret changed or the row was altered. Kept for an operator.
      const lastError = 'the payload cannot be decrypted (was GATEHOUSE_SECRET changed?)';
      this.log.error({ mailId: record.id, attempt: record.attempts + 1, err: lastError }, 'mail undeliverable');
      await this.store.fail(record.id, leaseUntil, {
        attempts: record.attempts + 1,
        nextAttemptAt: record.nextAttemptAt,
        lastError,
        failedAt: this.clock(),
      });
      return false;
    }
    try {
      await this.transport.send(message);
    } catch (error) {
      await this.recordFailure(record, leaseUntil, errorMessage(error));
      return false;
    }
    await this.store.complete(record.id, leaseUntil);
    // Never the recipient, subject or body: the message holds a live link.
    this.log.info({ mailId: record.id, transport: this.transport.name }, 'mail sent');
    return true;
  }

  private async recordFailure(record: QueuedMailRecord, leaseUntil: number, lastError: string): Promise<void> {
    const attempt = record.attempts + 1;
    const now = this.clock();
    const delay = this.retryDelaysMs[attempt - 1];
    if (delay === undefined) {
      this.log.error({ mailId: record.id, attempt, err: lastError }, 'mail undeliverable');
      await this.store.fail(record.id, leaseUntil, {
        attempts: attempt,
        nextAttemptAt: record.nextAttemptAt,
        lastError,
        failedAt: now,
      });
      return;
    }
    this.log.warn(
      { mailId: record.id, attempt, err: lastError, retryAt: new Date(now + delay).toISOString() },
      'mail delivery failed; will retry',
    );
    await this.store.fail(record.id, leaseUntil, {
      attempts: attempt,
      nextAttemptAt: now + delay,
      lastError,
      failedAt: null,
    });
  }
}

/**
 * The error's message only (a stack or a nodemailer error object may carry the SMTP
 * dialogue), with addresses masked: it is logged and stored next to the encrypted payload.
 */
function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[^\s<>@"',;:]+@[^\s<>@"',;:]+/g, '<address>').slice(0, MAX_ERROR_LENGTH);
}
