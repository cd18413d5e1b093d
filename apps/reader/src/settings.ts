import { HostAllowList, parseAllowHosts } from './feeds/fetch-policy.js';

/** The reader's own environment variables, read in one place (Gatehouse reads its own). */
export interface ReaderSettings {
  /** READER_FETCH_ALLOW_HOSTS: host[:port] entries the SSRF guard lets through. */
  fetchAllowHosts: string[];
  /** READER_CATALOGUE_FILE: a JSON catalogue that replaces the shipped one. */
  catalogueFile: string | undefined;
}

export function loadReaderSettings(env: Record<string, string | undefined> = process.env): ReaderSettings {
  const catalogueFile = env.READER_CATALOGUE_FILE?.trim();
  const fetchAllowHosts = parseAllowHosts(env.READER_FETCH_ALLOW_HOSTS);
  // Parsed once here so that a bad entry stops the start with its name, not a fetch later.
  new HostAllowList(fetchAllowHosts);
  return {
    fetchAllowHosts,
    catalogueFile: catalogueFile === '' ? undefined : catalogueFile,
  };
}
