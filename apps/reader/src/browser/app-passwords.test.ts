import type { Browser, Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { watchPage } from './page-watch.js';
import { accountMenuButton, newAccount, signUp, type NewAccount } from './reader-ui.js';
import { explainFailure, SCREENS_DIR, screenshotter } from './screens.js';

// Issue 18, as a user setting up a phone app would: make an app password on the account
// page, type what the page shows into the app (here: the Google Reader ClientLogin the apps
// send), see the app on the list, revoke it, and find that the app is locked out at once.

const DEVICES = [
  { device: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
  { device: 'phone', viewport: { width: 375, height: 812 }, isMobile: true },
] as const;

/** Five groups of four from the alphabet without look-alikes (no l, o, 0, 1): spec-18 "Core". */
const APP_PASSWORD = /^[a-km-np-z2-9]{4}(?:-[a-km-np-z2-9]{4}){4}$/u;
const NAME = 'Phone – Reeder';
/** What Reeder on iOS sends; the list should say "Reeder", not the whole string. */
const REEDER_USER_AGENT = 'Reeder/5.4.2 CFNetwork/1410.0.3 Darwin/22.6.0';

let browser: Browser;
let app: BrowserReaderServer;
const started = closeAfterAll();

beforeAll(async () => {
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [] }));
  browser = started(await launchChromium());
}, 90_000);

/** The test server listens on 127.0.0.1 only; Node may try ::1 for "localhost". */
function syncUrl(path: string): string {
  return `${app.origin.replace('//localhost:', '//127.0.0.1:')}${path}`;
}

/** What a Google Reader app sends first: the login and password the user typed, as a form. */
async function clientLogin(email: string, password: string): Promise<{ status: number; body: string }> {
  const response = await fetch(syncUrl('/api/greader/accounts/ClientLogin'), {
    method: 'POST',
    headers: { 'User-Agent': REEDER_USER_AGENT },
    body: new URLSearchParams({ Email: email, Passwd: password }),
  });
  return { status: response.status, body: await response.text() };
}

async function userInfoStatus(token: string): Promise<number> {
  const response = await fetch(syncUrl('/api/greader/reader/api/0/user-info'), {
    headers: { Authorization: `GoogleLogin auth=${token}`, 'User-Agent': REEDER_USER_AGENT },
  });
  await response.body?.cancel();
  return response.status;
}

async function openAccountPage(page: Page, account: NewAccount): Promise<Locator> {
  await accountMenuButton(page, account).click();
  await page.getByRole('button', { name: 'Account and sessions' }).click();
  await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
  return page.getByRole('region', { name: 'App passwords' });
}

/** Creating asks for the password again unless it was proven a moment ago (a fresh sign-up is). */
async function confirmIfAsked(page: Page, account: NewAccount, shown: Locator): Promise<void> {
  const prompt = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await shown.or(prompt).first().waitFor();
  if (await prompt.isVisible()) {
    await prompt.getByLabel('Password').fill(account.password);
    await prompt.getByRole('button', { name: 'Confirm' }).click();
  }
  await shown.waitFor();
}

/** Nothing wider than the screen: at 375 px a long URL or the password must wrap, not scroll the page. */
const fitsWidth = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

describe.each(DEVICES)('app passwords on a $device screen', ({ device, viewport, isMobile }) => {
  it('creates a password a sync app signs in with, lists the app, and revokes it at once', async () => {
    requireBuiltWebApp();
    const context = await browser.newContext({
      viewport,
      isMobile,
      hasTouch: isMobile,
      locale: 'en-GB',
      timezoneId: 'UTC',
      reducedMotion: 'reduce',
    });
    try {
      // The Copy button writes to the clipboard; the test reads it back from the same page.
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, `app-passwords-${device}`, async () => {
        const shot = screenshotter(page, device);
        const account = newAccount('Grace Hopper');
        await signUp(page, app.origin, account);

        const section = await openAccountPage(page, account);
        await section.getByText('No app passwords yet.').waitFor();
        await section.getByText('your account password never works in them').waitFor();
        await section.scrollIntoViewIfNeeded();
        await shot('app-passwords-01-empty');

        // The account password is refused by the sync API: that is the point of app passwords.
        expect((await clientLogin(account.email, account.password)).status).toBe(401);

        const form = section.getByRole('form', { name: 'Create an app password' });
        await form.getByLabel('Name').fill(NAME);
        await form.getByRole('button', { name: 'Create app password' }).click();
        const shown = section.locator('#app-password-value');
        await confirmIfAsked(page, account, shown);

        // Shown once, with everything the app asks for.
        const password = (await shown.innerText()).trim();
        expect(password).toMatch(APP_PASSWORD);
        const text = (id: string) => section.locator(`#${id}`).innerText();
        expect(await text('app-password-greader-url')).toBe(`${app.origin}/api/greader`);
        expect(await text('app-password-fever-url')).toBe(`${app.origin}/api/fever/`);
        expect(await text('app-password-greader-login')).toBe(account.email);
        expect(await text('app-password-fever-login')).toBe(account.email);
        await section.getByText('Type it exactly as shown').waitFor();
        await section.getByRole('button', { name: 'Copy app password' }).click();
        await section.getByText('Copied to the clipboard.').waitFor();
        expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(password);

        await section.getByRole('heading', { name: `App password for “${NAME}”` }).scrollIntoViewIfNeeded();
        await shot('app-passwords-02-created');
        await section.screenshot({ path: join(SCREENS_DIR, `app-passwords-02-created-section-${device}.png`) });
        expect(await fitsWidth(page)).toBe(true);

        // Typed into the app: it signs in, and its token works.
        const signedIn = await clientLogin(account.email, password);
        expect(signedIn.status, signedIn.body).toBe(200);
        const token = /^Auth=(\S+)$/mu.exec(signedIn.body)?.[1];
        expect(token, signedIn.body).toBeDefined();
        expect(await userInfoStatus(token ?? '')).toBe(200);

        await section.getByRole('button', { name: 'Done' }).click();
        await shown.waitFor({ state: 'detached' });
        expect(await page.content()).not.toContain(password);

        // Back later: the list says which app used it, and when.
        await page.reload();
        const list = page.getByRole('region', { name: 'App passwords' }).getByRole('list', { name: 'App passwords' });
        const row = list.getByRole('listitem').filter({ hasText: NAME });
        await row.waitFor();
        expect(await row.innerText()).toMatch(/Created[\s\S]*Last used[\s\S]* by Reeder/u);
        expect(await row.innerText()).not.toContain('Never used');
        await list.scrollIntoViewIfNeeded();
        await shot('app-passwords-03-list');

        // Revoke, confirmed: the app is locked out on its next request.
        await row.getByRole('button', { name: `Revoke ${NAME}` }).click();
        const dialog = page.getByRole('dialog', { name: 'Revoke this app password?' });
        await dialog.getByText('stop syncing at once').waitFor();
        await shot('app-passwords-04-revoke');
        await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByRole('region', { name: 'App passwords' }).getByText('No app passwords yet.').waitFor();
        expect(await userInfoStatus(token ?? '')).toBe(401);
        expect((await clientLogin(account.email, password)).status).toBe(401);

        // Nothing failed in the page, but for the signed-out page asking who is signed in.
        const signedOutProbe = `401 (Unauthorized) (${app.origin}/api/auth/me)`;
        expect(watch.consoleErrors.filter((error) => !error.endsWith(signedOutProbe))).toEqual([]);
        expect(watch.dialogs).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});
