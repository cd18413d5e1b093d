/**
 * At most `limit` tasks at once; the rest wait their turn. Each image fetch may hold up to
 * its byte cap in memory until it is checked and written, so without a bound a page of a
 * thousand huge images (or a user who asks for them) would hold gigabytes at once.
 */
export class FetchSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('the fetch slot limit must be >= 1');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so no newcomer can take it in between.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
