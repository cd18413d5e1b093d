import type { Clock } from '@gatehouse/core';
import type { FeedRecord, FeedStore } from '../db/feed-store.js';
import type { FeedRefresher } from './feed-refresher.js';
import type { ReaderLog } from './log.js';

export interface FeedSchedulerOptions {
  feeds: FeedStore;
  refresher: FeedRefresher;
  clock: Clock;
  /** Fetches running at once; a slow site must not hold up the others, nor all of them. */
  concurrency: number;
  /** How often to look for due feeds. */
  pollIntervalMs: number;
  /** A claimed feed is not due again for this long, even if the process dies mid-fetch. */
  leaseMs: number;
  /** Feeds taken per pass. */
  batchSize: number;
  log: ReaderLog;
}

/**
 * Polls due feeds (next fetch at or before now) and refreshes each once for all its
 * subscribers. Passes never overlap; `stop()` waits for the fetches in flight, so a
 * shutdown never closes the database under a running transaction.
 */
export class FeedScheduler {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private queuedPasses = 0;

  constructor(private readonly options: FeedSchedulerOptions) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => {
      this.wake();
    }, this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a pass soon ("refresh now"), if the scheduler is running. */
  wake(): void {
    // One pass running and one waiting is enough: a pass that waits sees everything due by
    // the time it starts. Without this cap, ticks would pile up behind a slow pass.
    if (this.timer === undefined || this.stopped || this.queuedPasses >= 2) return;
    this.queuedPasses += 1;
    this.runDue()
      .catch((error: unknown) => {
        this.options.log.error({ err: error }, 'feed scheduler pass failed');
      })
      .finally(() => {
        this.queuedPasses -= 1;
      });
  }

  /** One pass over the feeds due now; resolves with how many were fetched. */
  runDue(): Promise<number> {
    const pass = this.chain.then(() => (this.stopped ? 0 : this.pass()));
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private async pass(): Promise<number> {
    const { feeds, clock, batchSize, leaseMs, concurrency } = this.options;
    const now = clock();
    const due = await feeds.listDue(now, batchSize);
    const claimed: FeedRecord[] = [];
    for (const feed of due) {
      if (await feeds.claim(feed.id, now, now + leaseMs)) claimed.push(feed);
    }
    let next = 0;
    const worker = async () => {
      for (let feed = claimed[next]; feed !== undefined; feed = claimed[next]) {
        next += 1;
        await this.options.refresher.refresh(feed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    return claimed.length;
  }
}
