import type { Logger } from 'pino';

/**
 * Work a request starts but does not wait for: a password-reset request is answered before
 * the account is even looked up, so the answer's timing cannot tell whether it exists.
 * Failures are logged, never unhandled; `idle()` lets tests and shutdown wait for the rest.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((error: unknown) => {
        this.log.error({ err: error, task: name }, 'background work failed');
      })
      .finally(() => {
        this.running.delete(task);
      });
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
