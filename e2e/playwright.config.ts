import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test-support/chromium.js';

/**
 * The threat scorecard in Debian's Chromium (no browser download: `npx playwright install`
 * cannot work offline), launched as every other browser test launches it. .ci/run installs
 * it with apt-get when it is missing.
 */

export default defineConfig({
  testDir: './tests',
  outputDir: '../test-results/e2e-artifacts',
  globalSetup: './support/global-setup.ts',
  // Two shared cores: two workers keep Chromium and six servers responsive.
  workers: 2,
  fullyParallel: false,
  // A flaky attack test is a finding, not noise: never retried.
  retries: 0,
  forbidOnly: process.env.CI !== undefined,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e.json' }]],
  use: {
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [...CHROMIUM_ARGS],
        },
      },
    },
  ],
});
