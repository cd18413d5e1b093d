import type { Clock } from './clock.js';
import type { TokenFamilyRecord, TokenFamilyStore } from './stores/types.js';

const MAX_AGE_MS = 60_000;

/**
 * Token families behind `GET /me` for token clients, kept briefly in process so that
 * request does not read the store each time (it was most of its cost). Only descriptive
 * fields are served from here (created, last used, address, user agent): whether the family
 * is revoked is decided on every request by the authenticator's denylist check on its `sid`,
 * never by this copy. This process's rotations replace the entry at once; another
 * instance's show up within a minute.
 */
export class TokenFamilyCache {
  private readonly entries = new Map<string, { family: TokenFamilyRecord; loadedAt: number }>();

  constructor(
    private readonly families: TokenFamilyStore,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached family while it is fresh, without a promise; undefined means ask `get`. */
  peek(familyId: string): TokenFamilyRecord | undefined {
    const cached = this.entries.get(familyId);
    return cached !== undefined && this.clock() - cached.loadedAt < MAX_AGE_MS ? cached.family : undefined;
  }

  async get(familyId: string): Promise<TokenFamilyRecord | undefined> {
    const cached = this.peek(familyId);
    if (cached !== undefined) return cached;
    const family = await this.families.findFamily(familyId);
    this.entries.delete(familyId);
    if (family !== undefined) this.set(family);
    return family;
  }

  /** After a rotation here: the family as it now stands in the store. */
  set(family: TokenFamilyRecord): void {
    this.entries.delete(family.id);
    this.entries.set(family.id, { family, loadedAt: this.clock() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
