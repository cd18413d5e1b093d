import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@gatehouse/core';
import { describe, expect, it } from 'vitest';
import { articleContentSources } from '../article-content-sources.js';
import { mediaProxyModeFor, openReaderFor } from '../reader-startup.js';
import { silentLog } from '../service/log.js';
import { loadReaderSettings } from '../settings.js';

describe('READER_MEDIA_PROXY and READER_MEDIA_CACHE_MB', () => {
  it('default to http-only and 256 MiB', () => {
    expect(loadReaderSettings({})).toMatchObject({ mediaProxy: 'http-only', mediaCacheMaxBytes: 256 * 1024 * 1024 });
  });

  it('read each mode, in any case, and a size in megabytes', () => {
    for (const mode of ['http-only', 'all', 'none'] as const) {
      expect(loadReaderSettings({ READER_MEDIA_PROXY: ` ${mode.toUpperCase()} ` }).mediaProxy).toBe(mode);
    }
    expect(loadReaderSettings({ READER_MEDIA_CACHE_MB: '0' }).mediaCacheMaxBytes).toBe(0);
    expect(loadReaderSettings({ READER_MEDIA_CACHE_MB: '1024' }).mediaCacheMaxBytes).toBe(1024 * 1024 * 1024);
  });

  it('stop the start with the variable named on a wrong value', () => {
    expect(() => loadReaderSettings({ READER_MEDIA_PROXY: 'https-only' })).toThrow(/READER_MEDIA_PROXY/u);
    for (const size of ['-1', '1.5', '10MB', '99999999']) {
      expect(() => loadReaderSettings({ READER_MEDIA_CACHE_MB: size }), size).toThrow(/READER_MEDIA_CACHE_MB/u);
    }
  });
});

describe('openReaderFor with Gatehouse configuration', () => {
  it('runs the media proxy in the configured mode, with its cache under the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-media-settings-'));
    try {
      const host = { secret: 'media-settings-secret', dataDir, publicOrigin: 'https://reader.example' };
      const database = { kind: 'sqlite' as const, filename: join(dataDir, 'db.sqlite') };
      const reader = await openReaderFor(database, silentLog, { READER_MEDIA_PROXY: 'all' }, host);
      try {
        expect(reader.mediaUrls.mode).toBe('all');
        expect(reader.mediaProxy?.cache.directory).toBe(join(dataDir, 'media-cache'));
        expect(existsSync(join(dataDir, 'media-cache'))).toBe(true);
        expect(reader.mediaUrls.forApps('https://cdn.example/a.png')).toMatch(
          /^https:\/\/reader\.example\/api\/media\//u,
        );
      } finally {
        await reader.close();
      }
      // Without Gatehouse's secret there is nothing to sign with: no proxy, http upgraded.
      const bare = await openReaderFor(database, silentLog, { READER_MEDIA_PROXY: 'all' });
      try {
        expect(bare.mediaProxy).toBeUndefined();
        expect(bare.mediaUrls.forBrowser('http://cdn.example/a.png')).toBe('https://cdn.example/a.png');
      } finally {
        await bare.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names READER_MEDIA_PROXY in the ConfigError a wrong mode stops the start with', () => {
    expect(() => mediaProxyModeFor({ READER_MEDIA_PROXY: 'sometimes' })).toThrow(ConfigError);
    expect(() => mediaProxyModeFor({ READER_MEDIA_PROXY: 'sometimes' })).toThrow(/READER_MEDIA_PROXY/u);
    expect(mediaProxyModeFor({})).toBe('http-only');
  });
});

describe('the page CSP by mode', () => {
  it("allows https: images only while some images load directly; with every image proxied, 'self' alone", () => {
    expect(articleContentSources('http-only').img).toEqual(['https:']);
    expect(articleContentSources('none').img).toEqual(['https:']);
    expect(articleContentSources('all').img).toEqual([]);
  });
});
