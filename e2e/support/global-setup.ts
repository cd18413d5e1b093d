import { startAppServer, type AppServer } from './app-servers.js';
import { E2E_ENVIRONMENT_VARIABLE, type E2eEnvironment } from './environment.js';
import { startFixtureSites } from './fixture-sites.js';
import { BROWSER_MODES, type BrowserMode } from './modes.js';

/**
 * Starts every server the suite attacks — a development server and a production server per
 * browser mode, and the other sites on 127.0.0.1 — and tells the workers where they are.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const fixtureSites = await startFixtureSites();
  const started: AppServer[] = [];
  try {
    const start = async (mode: BrowserMode, production: boolean) => {
      const server = await startAppServer({
        name: production ? `${mode}-production` : mode,
        mode,
        production,
        // Only the SPA's own origin: the rogue SPA and the attacker stay untrusted.
        ...(mode === 'memory-token' && !production ? { trustedOrigins: [fixtureSites.spa] } : {}),
      });
      started.push(server);
      return server;
    };
    const apps = await Promise.all(BROWSER_MODES.map((mode) => start(mode, false)));
    const production = await Promise.all(BROWSER_MODES.map((mode) => start(mode, true)));
    const environment: E2eEnvironment = {
      sites: { attacker: fixtureSites.attacker, spa: fixtureSites.spa, rogueSpa: fixtureSites.rogueSpa },
      apps: byMode(apps),
      production: byMode(production),
    };
    process.env[E2E_ENVIRONMENT_VARIABLE] = JSON.stringify(environment);
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()));
    await fixtureSites.close();
    throw error;
  }
  return async () => {
    await Promise.all(started.map((server) => server.stop()));
    await fixtureSites.close();
  };
}

function byMode(servers: AppServer[]): Record<BrowserMode, AppServer> {
  const entries = BROWSER_MODES.map((mode) => {
    const server = servers.find((candidate) => candidate.mode === mode);
    if (server === undefined) throw new Error(`no server for ${mode}`);
    return [mode, server] as const;
  });
  return Object.fromEntries(entries) as Record<BrowserMode, AppServer>;
}
