import type { Clock } from './clock.js';
import type { UserRecord, UserStore } from './stores/types.js';

const MAX_AGE_MS = 60_000;

/**
 * Users behind verified tokens and API keys, kept briefly in process so those requests do
 * not read the store each time. Only descriptive fields are served from here; anything that
 * checks a password reads the store afresh.
 */
export class UserCache {
  private readonly entries = new Map<string, { user: UserRecord; loadedAt: number }>();

  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(userId: string): Promise<UserRecord | undefined> {
    const now = this.clock();
    const cached = this.entries.get(userId);
    if (cached !== undefined && now - cached.loadedAt < MAX_AGE_MS) return cached.user;
    const user = await this.users.findById(userId);
    this.entries.delete(userId);
    if (user === undefined) return undefined;
    this.entries.set(userId, { user, loadedAt: now });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return user;
  }

  evict(userId: string): void {
    this.entries.delete(userId);
  }
}
