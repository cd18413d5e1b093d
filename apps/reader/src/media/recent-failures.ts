/**
 * Image URLs that just failed, remembered for a while (bounded, oldest forgotten first).
 * Anyone holding a signed URL may ask for it again and again, and a failure is not cached on
 * disk: without this, each ask would be a fresh download of up to the byte cap from the
 * publisher (the reader as an amplifier against a third party) and a fetch slot held.
 */
export class RecentFailures {
  private readonly failedAt = new Map<string, number>(); // oldest first

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(url: string): boolean {
    const at = this.failedAt.get(url);
    if (at === undefined) return false;
    if (this.now() - at < this.ttlMs) return true;
    this.failedAt.delete(url);
    return false;
  }

  add(url: string): void {
    this.failedAt.delete(url);
    this.failedAt.set(url, this.now());
    for (const oldest of this.failedAt.keys()) {
      if (this.failedAt.size <= this.maxEntries) break;
      this.failedAt.delete(oldest);
    }
  }
}
