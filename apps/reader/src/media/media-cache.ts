import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, rename, unlink, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { rasterTypeOfExtension, type RasterType } from './image-type.js';

/** A cache file: the SHA-256 of the image URL, and the extension that tells its type. */
const ENTRY_NAME = /^([0-9a-f]{64})\.([a-z]+)$/u;
const PARTIAL_PREFIX = '.partial-';

interface Entry {
  extension: string;
  size: number;
}

export interface CachedImage {
  type: RasterType;
  size: number;
  /** Open before it is handed out: an eviction now (an unlink) does not cut the answer short. */
  file: FileHandle;
}

/**
 * Proxied images on disk (`<data>/media-cache`), bounded by total bytes, least recently used
 * first out. Only images that passed every check are written, whole, under a temporary name
 * renamed into place, so a reader never sees half a file. The index is in memory, rebuilt
 * from the directory at start-up in modification-time order (a hit touches its file), so
 * the bound holds across restarts. One process owns the directory.
 */
export class MediaCache {
  private readonly entries = new Map<string, Entry>(); // oldest first
  private totalBytes = 0;

  constructor(
    readonly directory: string,
    readonly maxBytes: number,
  ) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new TypeError('the media cache size must be >= 0');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    this.loadIndex();
  }

  get size(): number {
    return this.totalBytes;
  }

  async get(url: string): Promise<CachedImage | undefined> {
    const key = keyOf(url);
    const entry = this.entries.get(key);
    const type = entry && rasterTypeOfExtension(entry.extension);
    if (entry === undefined || type === undefined) return undefined;
    const path = this.pathOf(key, entry.extension);
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch {
      // Deleted behind our back: a miss, and the index forgets it.
      this.forget(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
    return { type, size: entry.size, file };
  }

  /** Keeps an image, then evicts the least recently used until the total is within the bound. */
  async put(url: string, type: RasterType, body: Uint8Array): Promise<void> {
    if (body.length > this.maxBytes) return;
    const key = keyOf(url);
    const partial = join(this.directory, `${PARTIAL_PREFIX}${randomUUID()}`);
    try {
      await writeFile(partial, body, { mode: 0o600 });
      await rename(partial, this.pathOf(key, type.extension));
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    const previous = this.entries.get(key);
    this.forget(key);
    // The same URL now serving another format: its old file would be counted by no one.
    if (previous !== undefined && previous.extension !== type.extension) {
      await unlink(this.pathOf(key, previous.extension)).catch(() => undefined);
    }
    this.entries.set(key, { extension: type.extension, size: body.length });
    this.totalBytes += body.length;
    await this.evictBeyondBound(key);
  }

  private async evictBeyondBound(keep: string): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.forget(key);
      await unlink(this.pathOf(key, entry.extension)).catch(() => undefined);
    }
  }

  /** Drops a key from the index; its file is the caller's to delete. */
  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.size;
  }

  private loadIndex(): void {
    const found: { key: string; extension: string; size: number; mtimeMs: number }[] = [];
    for (const name of readdirSync(this.directory)) {
      const path = join(this.directory, name);
      const match = ENTRY_NAME.exec(name);
      if (match === null || rasterTypeOfExtension(match[2] ?? '') === undefined) {
        // A write cut short by a crash, or a file that is not ours to serve.
        if (name.startsWith(PARTIAL_PREFIX)) unlinkSync(path);
        continue;
      }
      const stat = statSync(path);
      if (stat.isFile())
        found.push({ key: match[1] ?? '', extension: match[2] ?? '', size: stat.size, mtimeMs: stat.mtimeMs });
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const { key, extension, size } of found) {
      this.entries.set(key, { extension, size });
      this.totalBytes += size;
    }
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) break;
      this.forget(key);
      unlinkSync(this.pathOf(key, entry.extension));
    }
  }

  private pathOf(key: string, extension: string): string {
    return join(this.directory, `${key}.${extension}`);
  }
}

function keyOf(url: string): string {
  return createHash('sha256').update(url, 'utf8').digest('hex');
}
