import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createReaderApp } from '../app.js';
import { ARTICLE_CONTENT_SOURCES } from '../article-content-sources.js';
import type { Reader } from '../reader.js';
import { openReaderFor } from '../reader-startup.js';
import { startTestGatehouse } from '../test-support/test-gatehouse.js';
import { WEB_ROOT } from './built-web-app.js';

export interface BrowserReaderServerOptions {
  /** host:port entries for READER_FETCH_ALLOW_HOSTS (the loopback fixture feed server). */
  fetchAllowHosts: readonly string[];
  /** A catalogue JSON (READER_CATALOGUE_FILE shape); the shipped catalogue when absent. */
  catalogueJson?: string;
}

export interface BrowserReaderServer {
  /** http://localhost:<port>: PUBLIC_ORIGIN, and what the browser opens. */
  origin: string;
  reader: Reader;
  cookieNames: { session: string; csrf: string };
  /** Where Gatehouse writes the mail it sends, one .eml file each (its verify and reset links). */
  outboxDir: string;
  close(): Promise<void>;
}

/**
 * The reader as main.ts wires it, in this process: Gatehouse with the article CSP on a
 * temporary SQLite file and the real clock (the browser judges cookie expiry by its own),
 * the reader's settings read from an environment (READER_FETCH_ALLOW_HOSTS,
 * READER_CATALOGUE_FILE) by the same start-up code, and the built web app (whose presence
 * the tests check: requireBuiltWebApp). The browser uses http://localhost, where Chromium
 * keeps Secure and __Host- cookies. The scheduler is not started: subscribing fetches the
 * feed once, and nothing else changes behind the test's back.
 */
export async function startBrowserReaderServer(options: BrowserReaderServerOptions): Promise<BrowserReaderServer> {
  const host = await startTestGatehouse({ host: 'localhost', contentSources: ARTICLE_CONTENT_SOURCES });
  const readerEnv: Record<string, string> = { READER_FETCH_ALLOW_HOSTS: options.fetchAllowHosts.join(',') };
  if (options.catalogueJson !== undefined) {
    readerEnv.READER_CATALOGUE_FILE = join(dirname(host.databaseFile), 'catalogue.json');
    writeFileSync(readerEnv.READER_CATALOGUE_FILE, options.catalogueJson);
  }
  // With Gatehouse's config: the media proxy runs, in its default mode, as in production.
  const reader = await openReaderFor(host.config.database, host.gatehouse.log, readerEnv, host.config);
  host.answerWith(createReaderApp({ gatehouse: host.gatehouse, webRoot: WEB_ROOT, reader }));

  return {
    origin: host.origin,
    reader,
    cookieNames: { session: host.gatehouse.cookies.names.session, csrf: host.gatehouse.cookies.names.csrf },
    outboxDir: join(host.config.dataDir, 'outbox'),
    close: () => host.close(() => reader.close()),
  };
}
