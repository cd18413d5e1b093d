import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';

/** Cheap hashing: these tests are about tokens and tabs, not password cost. */
export const FAST_PASSWORDS = { memoryCost: 8192, timeCost: 1, parallelism: 1 };

/**
 * One Chromium per test file and fresh contexts per test, closed after each test (before the
 * servers, which wait for the browser's keep-alive connections to end).
 */
export function chromiumPerFile(): {
  browser: () => Browser;
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
} {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((context) => context.close()));
  });
  const current = () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    return browser;
  };
  return {
    browser: current,
    newContext: async (options) => {
      const context = await current().newContext(options);
      open.push(context);
      return context;
    },
  };
}
