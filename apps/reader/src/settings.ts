import { HostAllowList, parseAllowHosts } from './feeds/fetch-policy.js';
import { parseMediaCacheBytes, parseMediaProxyMode, type MediaProxyMode } from './media/media-settings.js';

/** The reader's own environment variables, read in one place (Gatehouse reads its own). */
export interface ReaderSettings {
  /** READER_FETCH_ALLOW_HOSTS: host[:port] entries the SSRF guard lets through. */
  fetchAllowHosts: string[];
  /** READER_CATALOGUE_FILE: a JSON catalogue that replaces the shipped one. */
  catalogueFile: string | undefined;
  /** READER_MEDIA_PROXY: which article images go through the media proxy (http-only, all, none). */
  mediaProxy: MediaProxyMode;
  /** READER_MEDIA_CACHE_MB: the media proxy's disk cache bound, in bytes here. */
  mediaCacheMaxBytes: number;
}

export function loadReaderSettings(env: Record<string, string | undefined> = process.env): ReaderSettings {
  const catalogueFile = env.READER_CATALOGUE_FILE?.trim();
  const fetchAllowHosts = parseAllowHosts(env.READER_FETCH_ALLOW_HOSTS);
  // Parsed once here so that a bad entry stops the start with its name, not a fetch later.
  new HostAllowList(fetchAllowHosts);
  return {
    fetchAllowHosts,
    catalogueFile: catalogueFile === '' ? undefined : catalogueFile,
    mediaProxy: parseMediaProxyMode(env.READER_MEDIA_PROXY),
    mediaCacheMaxBytes: parseMediaCacheBytes(env.READER_MEDIA_CACHE_MB),
  };
}
