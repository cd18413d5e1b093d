import type { AppServerInfo } from './app-servers.js';
import type { BrowserMode } from './modes.js';

/** What global setup started, handed to the test workers through one environment variable. */
export interface E2eEnvironment {
  sites: { attacker: string; spa: string; rogueSpa: string };
  /** One development server per browser mode, with the test pages on. */
  apps: Record<BrowserMode, AppServerInfo>;
  /** One production server per browser mode (HSTS, plain HTTP refused). */
  production: Record<BrowserMode, AppServerInfo>;
}

export const E2E_ENVIRONMENT_VARIABLE = 'GATEHOUSE_E2E_ENVIRONMENT';

export function e2eEnvironment(): E2eEnvironment {
  const raw = process.env[E2E_ENVIRONMENT_VARIABLE];
  if (raw === undefined)
    throw new Error(`${E2E_ENVIRONMENT_VARIABLE} is not set: run the suite with \`npm run test:e2e\``);
  return JSON.parse(raw) as E2eEnvironment;
}

export function appServer(mode: BrowserMode): AppServerInfo {
  return e2eEnvironment().apps[mode];
}

export function productionServer(mode: BrowserMode): AppServerInfo {
  return e2eEnvironment().production[mode];
}

export function sites(): E2eEnvironment['sites'] {
  return e2eEnvironment().sites;
}
