import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { serversPerTest, type TestServer } from '../../../../test-support/test-server.js';
import { chromiumPerFile, FAST_PASSWORDS } from './browser-fixture.js';
import { serveReaderWeb } from './reader-web.js';

const MINUTE = 60_000;
const SCREENS = process.env.ACCOUNT_SCREENS_DIR ?? '/work/screens/account';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';
const NEW_PASSWORD = 'a brand new passphrase for the reader';

const start = serversPerTest();
const chromium = chromiumPerFile();

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

/** The user's other devices: an iPhone (another IP) 55 minutes ago, Firefox on Windows 15 minutes ago. */
async function userWithOtherDevices(server: TestServer, email: string) {
  const iphone = new TestBrowser(server.origin, '127.0.0.2', IPHONE);
  expect((await iphone.signup(email, GOOD_PASSWORD, 'Ada Lovelace')).status).toBe(201);
  server.advance(40 * MINUTE);
  const windows = new TestBrowser(server.origin, '127.0.0.3', WINDOWS_FIREFOX);
  expect((await windows.login(email, GOOD_PASSWORD)).status).toBe(200);
  server.advance(15 * MINUTE);
  return { iphone, windows };
}

describe.each(VIEWPORTS)('the reader account pages in Chromium ($name)', ({ name, viewport, isMobile }) => {
  const shot = async (page: Page, title: string) => {
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: join(SCREENS, `${name}-${title}.png`), fullPage: true });
  };

  it('top bar menu → account page: sessions in plain words, revoke, password change, rate limit, expiry', async () => {
    const server = await start({
      passwordParams: FAST_PASSWORDS,
      rateLimits: { loginPerAccountAndIp: { name: 'login_per_account_ip', limit: 5, windowMs: 15 * MINUTE } },
    });
    const email = uniqueEmail('account');
    const { windows } = await userWithOtherDevices(server, email);

    const context = await chromium.newContext({ viewport, isMobile, hasTouch: isMobile });
    // The page's clock reads the server's, so "last active" is measured from the same now.
    await context.clock.install({ time: server.now() });
    await serveReaderWeb(context, server.origin, { emptyLibrary: true });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // From the top bar: the avatar/name button opens the menu.
    const menuButton = page.getByRole('button', { name: /account menu/ });
    await menuButton.click();
    await expect.poll(() => menuButton.getAttribute('aria-expanded')).toBe('true');
    await shot(page, '01-account-menu');
    await page.getByRole('button', { name: 'Account and sessions' }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    // Focus moved to the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Account');

    const list = page.getByRole('list', { name: 'Signed-in devices' });
    await list.getByText('Safari on iPhone').waitFor();
    const rows = await list.getByRole('listitem').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/Headless Chrome on Linux\s*This device/);
    expect(rows[0]).toContain('IP 127.0.0.1');
    expect(rows[1]).toMatch(/Firefox on Windows[\s\S]*IP 127\.0\.0\.3[\s\S]*Last active 15 min/);
    expect(rows[2]).toMatch(/Safari on iPhone[\s\S]*IP 127\.0\.0\.2[\s\S]*Last active 55 min/);
    await shot(page, '02-account-page');

    // Revoke Firefox on Windows: gone from the list and from the server.
    await page.getByRole('button', { name: /^Sign out Firefox on Windows/ }).click();
    await page.getByRole('status').filter({ hasText: 'Signed out Firefox on Windows.' }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(2);
    expect((await windows.me()).status).toBe(401);

    // Change password: wrong current password, then right.
    const form = page.getByRole('form', { name: 'Change password' });
    const changePassword = async (current: string, next: string, again = next) => {
      await form.getByLabel('Current password').fill(current);
      await form.getByLabel('New password', { exact: true }).fill(next);
      await form.getByLabel('New password, again').fill(again);
      await form.getByRole('button', { name: 'Change password' }).click();
    };
    await changePassword('not my password at all', NEW_PASSWORD);
    const alert = form.getByRole('alert');
    await alert.filter({ hasText: 'The current password is incorrect.' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    await form.scrollIntoViewIfNeeded();
    await shot(page, '03-wrong-password');

    await changePassword(GOOD_PASSWORD, NEW_PASSWORD);
    await form.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    // Every other device signed out; this one signed in again with a new session.
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    expect(await list.getByRole('listitem').innerText()).toContain('This device');

    // Too many wrong attempts: the wait in words a person uses.
    let status = 0;
    for (let attempt = 0; attempt < 8 && status !== 429; attempt += 1) {
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/password'));
      await changePassword('still not my password', 'whatever it may be');
      status = (await answered).status();
    }
    expect(status).toBe(429);
    await alert.filter({ hasText: 'Too many attempts. Try again in 15 minutes.' }).waitFor();
    await shot(page, '04-rate-limited');

    // The session ends elsewhere: the next request sends this tab to sign-in, with a message.
    const elsewhere = new TestBrowser(server.origin, '127.0.0.4', WINDOWS_FIREFOX);
    server.advance(16 * MINUTE); // past the rate-limit window
    expect((await elsewhere.login(email, NEW_PASSWORD)).status).toBe(200);
    const { sessions } = (await (await elsewhere.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; userAgent: string | null }[];
    };
    const chromiumSession = sessions.find((session) => session.userAgent?.includes('HeadlessChrome') === true);
    expect(
      (await elsewhere.request('DELETE', `/api/auth/sessions/${encodeURIComponent(String(chromiumSession?.id))}`))
        .status,
    ).toBe(204);
    await changePassword(NEW_PASSWORD, GOOD_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Your session has ended. Please sign in again.' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await shot(page, '05-session-ended');
  });

  it('sign out everywhere: a confirmation, then every device is signed out', async () => {
    const server = await start({ passwordParams: FAST_PASSWORDS });
    const email = uniqueEmail('everywhere');
    const { iphone } = await userWithOtherDevices(server, email);
    const context = await chromium.newContext({ viewport, isMobile, hasTouch: isMobile });
    await context.clock.install({ time: server.now() });
    await serveReaderWeb(context, server.origin, { emptyLibrary: true });
    const page = await context.newPage();
    await page.goto(`${server.origin}/account`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    const readerTab = await context.newPage();
    await readerTab.goto(`${server.origin}/`);
    await readerTab.getByRole('button', { name: /account menu/ }).waitFor();

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await dialog.waitFor();
    // The safe choice has focus; Escape would cancel.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await shot(page, '06-sign-out-everywhere');
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();

    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    // The other tab learns it at once, and says why.
    await readerTab.getByText('You signed out in another tab.').waitFor();
    expect((await iphone.me()).status).toBe(401);
  });
});
