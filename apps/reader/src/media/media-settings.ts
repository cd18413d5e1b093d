/**
 * Which article images go through the media proxy (READER_MEDIA_PROXY), as Miniflux names
 * them: `http-only` (the default) proxies the images an https page could not load anyway,
 * `all` proxies every image so publishers never see a reader's address, `none` proxies
 * nothing and asks for http images over https (which fails where the host has no TLS).
 */
export const MEDIA_PROXY_MODES = ['http-only', 'all', 'none'] as const;

export type MediaProxyMode = (typeof MEDIA_PROXY_MODES)[number];

export const DEFAULT_MEDIA_PROXY_MODE: MediaProxyMode = 'http-only';

/** The mode an environment value names; a wrong one stops the start with the variable's name. */
export function parseMediaProxyMode(value: string | undefined): MediaProxyMode {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '') return DEFAULT_MEDIA_PROXY_MODE;
  const mode = MEDIA_PROXY_MODES.find((candidate) => candidate === text);
  if (mode === undefined) {
    throw new Error(`READER_MEDIA_PROXY: "${value ?? ''}" is not one of ${MEDIA_PROXY_MODES.join(', ')}`);
  }
  return mode;
}

/** READER_MEDIA_CACHE_MB when unset: room for a few thousand article images. */
export const DEFAULT_MEDIA_CACHE_MB = 256;

/** The disk cache's bound in bytes, from READER_MEDIA_CACHE_MB (0 keeps nothing on disk). */
export function parseMediaCacheBytes(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_MEDIA_CACHE_MB * 1024 * 1024;
  if (!/^\d{1,7}$/u.test(text)) {
    throw new Error(`READER_MEDIA_CACHE_MB: "${value ?? ''}" is not a whole number of megabytes`);
  }
  return Number(text) * 1024 * 1024;
}
