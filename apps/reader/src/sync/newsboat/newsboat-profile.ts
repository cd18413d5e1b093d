import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where newsboat's `feedhq` backend (its Google Reader client) logs in. */
export interface GoogleReaderAccount {
  /** The API base without a trailing slash: newsboat appends `/accounts/ClientLogin` etc. */
  url: string;
  login: string;
  password: string;
}

/**
 * One newsboat installation in a temporary directory: its own config, urls file, cache and
 * HOME, so a test never reads or writes the machine's ~/.newsboat and two runs never share
 * a cache lock.
 */
export interface NewsboatProfile {
  dir: string;
  configFile: string;
  urlsFile: string;
  cacheFile: string;
  logFile: string;
  /** The environment every newsboat process of this profile runs with. */
  env: NodeJS.ProcessEnv;
  /** newsboat's arguments for this profile (add `-x reload` to run headless). */
  args: string[];
  remove(): Promise<void>;
}

/**
 * Settings that keep every item visible and in the cache whatever its age (the reader's
 * test clock starts in 2024, newsboat compares against the real clock), and keep the TUI
 * predictable for a test that drives it by keystrokes.
 */
const FIXED_SETTINGS: Record<string, string> = {
  'urls-source': 'feedhq',
  'feedhq-show-special-feeds': 'no',
  // newsboat asks for `/reader/atom/<feed>?n=<this>`: more than any test feed holds.
  'feedhq-min-items': '100',
  'keep-articles-days': '0',
  'max-items': '0',
  'show-read-articles': 'yes',
  'show-read-feeds': 'yes',
  'refresh-on-startup': 'no',
  'auto-reload': 'no',
  // The item list would otherwise open with the cursor on the first unread line.
  'goto-first-unread': 'no',
  'confirm-exit': 'no',
  'download-timeout': '10',
};

/** A config value in newsboat's double-quoted syntax. */
function quoted(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`newsboat config values are one line: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

export async function createNewsboatProfile(account: GoogleReaderAccount): Promise<NewsboatProfile> {
  const dir = await mkdtemp(join(tmpdir(), 'newsboat-'));
  const profile: NewsboatProfile = {
    dir,
    configFile: join(dir, 'config'),
    urlsFile: join(dir, 'urls'),
    cacheFile: join(dir, 'cache.db'),
    logFile: join(dir, 'newsboat.log'),
    env: {
      ...process.env,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'xdg-config'),
      XDG_DATA_HOME: join(dir, 'xdg-data'),
      // libcurl honours proxy variables whatever newsboat's `use-proxy` says: the reader
      // under test is on loopback and must be reached directly.
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
    },
    args: [],
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  profile.args = [
    '-C',
    profile.configFile,
    '-u',
    profile.urlsFile,
    '-c',
    profile.cacheFile,
    '-l',
    '6',
    '-d',
    profile.logFile,
  ];
  const settings = {
    ...FIXED_SETTINGS,
    'feedhq-url': account.url,
    'feedhq-login': account.login,
    'feedhq-password': account.password,
  };
  const config = Object.entries(settings).map(([name, value]) => `${name} ${quoted(value)}`);
  await writeFile(profile.configFile, `${config.join('\n')}\n`);
  // The subscriptions come from the server; the file must exist all the same.
  await writeFile(profile.urlsFile, '');
  return profile;
}
