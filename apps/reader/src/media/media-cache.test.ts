import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rasterTypeOfExtension, type RasterType } from './image-type.js';
import { MediaCache } from './media-cache.js';

function rasterType(extension: string): RasterType {
  const type = rasterTypeOfExtension(extension);
  if (type === undefined) throw new Error(`no raster type for .${extension}`);
  return type;
}
const PNG = rasterType('png');
const GIF = rasterType('gif');
const KIB = 1024;

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'gh-media-cache-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill);
const files = () => readdirSync(directory).sort();
const fileName = (url: string) => `${createHash('sha256').update(url).digest('hex')}.png`;

async function contentOf(cache: MediaCache, url: string): Promise<Buffer | undefined> {
  const hit = await cache.get(url);
  if (hit === undefined) return undefined;
  try {
    return await hit.file.readFile();
  } finally {
    await hit.file.close();
  }
}

describe('MediaCache', () => {
  it('keeps an image under a name of its own and gives it back with its type', async () => {
    const cache = new MediaCache(directory, 100 * KIB);
    await cache.put('http://a.example/1.png', PNG, bytes(10, 7));
    const hit = await cache.get('http://a.example/1.png');
    expect(hit?.type).toEqual(PNG);
    expect(hit?.size).toBe(10);
    await hit?.file.close();
    expect(await contentOf(cache, 'http://a.example/1.png')).toEqual(Buffer.from(bytes(10, 7)));
    expect(await cache.get('http://a.example/other.png')).toBeUndefined();
    expect(files()).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.png$/u)]);
  });

  it('evicts the least recently used image when the bound is passed, never the newest', async () => {
    const cache = new MediaCache(directory, 30 * KIB);
    await cache.put('http://a.example/a', PNG, bytes(10 * KIB));
    await cache.put('http://a.example/b', PNG, bytes(10 * KIB));
    await cache.put('http://a.example/c', PNG, bytes(10 * KIB));
    // a is read, so b is now the least recently used.
    expect(await contentOf(cache, 'http://a.example/a')).toBeDefined();
    await cache.put('http://a.example/d', PNG, bytes(10 * KIB));
    expect(cache.size).toBeLessThanOrEqual(30 * KIB);
    expect(await contentOf(cache, 'http://a.example/b')).toBeUndefined();
    for (const kept of ['a', 'c', 'd']) expect(await contentOf(cache, `http://a.example/${kept}`)).toBeDefined();
    expect(files()).toHaveLength(3);
    // One image larger than the rest together: all others go, it stays.
    await cache.put('http://a.example/big', PNG, bytes(30 * KIB));
    expect(files()).toHaveLength(1);
    expect(cache.size).toBe(30 * KIB);
  });

  it('does not keep an image larger than the whole cache, nor anything with a bound of 0', async () => {
    await new MediaCache(directory, 10).put('http://a.example/big', PNG, bytes(11));
    await new MediaCache(directory, 0).put('http://a.example/any', PNG, bytes(1));
    expect(files()).toEqual([]);
  });

  it('replaces an image whose URL now serves another format, counting it once', async () => {
    const cache = new MediaCache(directory, 100 * KIB);
    await cache.put('http://a.example/x', PNG, bytes(100));
    await cache.put('http://a.example/x', GIF, bytes(50));
    expect(files()).toEqual([expect.stringMatching(/\.gif$/u)]);
    expect(cache.size).toBe(50);
  });

  it('rebuilds its index after a restart, holds the bound by age on disk, and clears half-written files', async () => {
    const first = new MediaCache(directory, 100 * KIB);
    await first.put('http://a.example/old', PNG, bytes(10 * KIB));
    await first.put('http://a.example/new', PNG, bytes(10 * KIB));
    utimesSync(join(directory, fileName('http://a.example/old')), 1000, 1000);
    utimesSync(join(directory, fileName('http://a.example/new')), 2000, 2000);
    writeFileSync(join(directory, '.partial-crashed'), 'half');
    writeFileSync(join(directory, 'README'), 'not ours');

    const second = new MediaCache(directory, 100 * KIB);
    expect(second.size).toBe(20 * KIB);
    expect(files()).not.toContain('.partial-crashed');
    expect(files()).toContain('README');
    expect(await contentOf(second, 'http://a.example/old')).toBeDefined();
    // A hit touches its file (without waiting for it): that is what survives a restart.
    const oldPath = join(directory, fileName('http://a.example/old'));
    await expect.poll(() => statSync(oldPath).mtimeMs).toBeGreaterThan(2_000_000);

    // Started with a smaller bound, it evicts the oldest on disk before any request: "old"
    // was touched by the read above, so "new" is now the older one.
    const third = new MediaCache(directory, 10 * KIB);
    expect(third.size).toBe(10 * KIB);
    expect(files()).toEqual(['README', fileName('http://a.example/old')].sort());
  });

  it('treats a file deleted behind its back as a miss', async () => {
    const cache = new MediaCache(directory, 100 * KIB);
    await cache.put('http://a.example/gone', PNG, bytes(10));
    for (const name of files()) rmSync(join(directory, name));
    expect(await cache.get('http://a.example/gone')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
