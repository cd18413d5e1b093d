import type { BrowserContext } from '@playwright/test';
import { startAppServer, type AppServer } from './app-servers.js';
import { test as base } from './fixtures.js';
import { startMailCatcher, type MailCatcher } from './mail.js';
import type { BrowserMode } from './modes.js';
import { startThirdPartySite, type ThirdPartySite } from './third-party.js';

/**
 * The step-up window (GATEHOUSE_REAUTH_WINDOW) of the account-takeover servers: 2 seconds
 * instead of 10 minutes, so a test can let it pass with a short wait.
 */
export const STEP_UP_WINDOW_MS = 2_000;

/**
 * What the account-takeover tests attack (e2e/tests/password-reset, account-takeover):
 * readers of their own, one per browser mode, whose mail goes over SMTP to a real server in
 * this worker, with a short step-up window and a trusted proxy hop (so forged X-Forwarded-*
 * headers are as believable as they get). The suite's shared servers keep the defaults.
 */
export interface TakeoverWorld {
  mail: MailCatcher;
  /** The reader for `mode`, started on first use in this worker and kept for its other tests. */
  server(mode: BrowserMode): Promise<AppServer>;
  thirdParty: ThirdPartySite;
}

export const test = base.extend<{ httpsTrustingContext: BrowserContext }, { takeover: TakeoverWorld }>({
  /**
   * A fresh browser profile that accepts the third-party site's self-signed certificate
   * (nothing else differs), closed after the test.
   */
  httpsTrustingContext: async ({ browser }, use) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await use(context);
    await context.close();
  },
  takeover: [
    // Playwright reads the fixtures a fixture needs from this parameter: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      const mail = await startMailCatcher();
      const thirdParty = await startThirdPartySite();
      const servers = new Map<BrowserMode, Promise<AppServer>>();
      const server = (mode: BrowserMode) => {
        let started = servers.get(mode);
        if (started === undefined) {
          started = startAppServer({
            name: `takeover-${mode}-${String(workerInfo.workerIndex)}`,
            mode,
            env: {
              MAIL_URL: mail.url,
              GATEHOUSE_REAUTH_WINDOW: String(STEP_UP_WINDOW_MS / 1000),
              GATEHOUSE_TRUST_PROXY: '1',
            },
          });
          servers.set(mode, started);
        }
        return started;
      };
      try {
        await use({ mail, server, thirdParty });
      } finally {
        const started = await Promise.allSettled(servers.values());
        const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        await Promise.all(running.map((server) => server.stop()));
        await thirdParty.close();
        await mail.close();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from './fixtures.js';
