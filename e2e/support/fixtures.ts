import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type BrowserContext } from '@playwright/test';
import type { BrowserMode } from './modes.js';

export interface ContextOptions {
  /**
   * memory-token only. The SPA's refresh cookie is a THIRD-PARTY cookie (SameSite=None, set by
   * the API's site inside the SPA's site). Debian's Chromium 156 blocks those by default, as do
   * Safari, Firefox's strict mode and every incognito window; a regular Chrome profile allows
   * them. Default true: a profile that allows them. false: Chromium's own default (blocked).
   */
  thirdPartyCookies?: boolean;
  extraHTTPHeaders?: Record<string, string>;
  /** A User-Agent of its own, to find this browser's requests in the server's audit trail. */
  userAgent?: string;
}

export interface Contexts {
  /** A fresh browser profile as the mode's client runs in; closed after the test. */
  open(mode: BrowserMode | 'plain', options?: ContextOptions): Promise<BrowserContext>;
}

export const test = base.extend<{ contexts: Contexts }>({
  contexts: async ({ browser, playwright, launchOptions }, use) => {
    const opened: BrowserContext[] = [];
    const profiles: string[] = [];
    await use({
      open: async (mode, options = {}) => {
        const headers = {
          ...(options.extraHTTPHeaders ? { extraHTTPHeaders: options.extraHTTPHeaders } : {}),
          ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
        };
        if (mode !== 'memory-token' || options.thirdPartyCookies === false) {
          const context = await browser.newContext(headers);
          opened.push(context);
          return context;
        }
        // A persistent profile whose cookie controls allow third-party cookies (what a
        // default regular Chrome profile does); Playwright's usual contexts are incognito-like.
        const profile = mkdtempSync(join(tmpdir(), 'gh-e2e-profile-'));
        profiles.push(profile);
        mkdirSync(join(profile, 'Default'));
        writeFileSync(
          join(profile, 'Default', 'Preferences'),
          JSON.stringify({
            profile: { cookie_controls_mode: 0, block_third_party_cookies: false },
            tracking_protection: { block_all_3pc_toggle_enabled: false },
          }),
        );
        const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, ...headers });
        opened.push(context);
        return context;
      },
    });
    await Promise.all(opened.map((context) => context.close()));
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
