import type { ReaderLog } from '../service/log.js';

export interface BackgroundQueueOptions {
  /** Tasks running at once: each is a page fetch, and the feed poll needs the rest. */
  concurrency: number;
  /** Tasks waiting at most; more are dropped (and logged), not queued without bound. */
  maxWaiting: number;
  log: ReaderLog;
}

type Task = () => Promise<unknown>;

/**
 * Work that happens off the request path and off the poll loop: `push` returns at once,
 * the task runs when a slot is free. A failing task is logged and forgotten. `close` drops
 * what waits and resolves when what runs has finished, so the database is never closed
 * under a running write.
 */
export class BackgroundQueue {
  private readonly waiting: Task[] = [];
  private running = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: BackgroundQueueOptions) {}

  push(task: Task): void {
    if (this.closed) return;
    if (this.waiting.length >= this.options.maxWaiting) {
      this.options.log.warn({ waiting: this.waiting.length }, 'full text: queue full, task dropped');
      return;
    }
    this.waiting.push(task);
    this.next();
  }

  /** Resolves when nothing runs or waits (tests wait for the background with it). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    return this.idle();
  }

  private next(): void {
    while (this.running < this.options.concurrency) {
      const task = this.waiting.shift();
      if (task === undefined) break;
      this.running += 1;
      task()
        .catch((error: unknown) => {
          this.options.log.error({ err: error }, 'full text: background task failed');
        })
        .finally(() => {
          this.running -= 1;
          this.next();
        });
    }
    if (this.running === 0 && this.waiting.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
