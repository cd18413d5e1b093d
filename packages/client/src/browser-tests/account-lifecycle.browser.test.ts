import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { serversPerTest, type TestServer } from '../../../../test-support/test-server.js';
import { NativeClient } from '../../../../test-support/token-client.js';
import { chromiumPerFile, FAST_PASSWORDS } from './browser-fixture.js';
import { serveReaderWeb } from './reader-web.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SCREENS = process.env.ACCOUNT_SCREENS_DIR ?? '/work/screens/account';
const NEW_PASSWORD = 'a brand new passphrase for the reader';
/** Whole journeys through the UI on shared cores: room beyond the 30 s default. */
const LONG_TEST_MS = 120_000;

const start = serversPerTest();
const chromium = chromiumPerFile();

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

// The server writes mail as .eml files under <GATEHOUSE_DATA_DIR>/outbox (no MAIL_URL in tests).
const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serverWithOutbox(
  options: Parameters<typeof start>[0] = {},
): Promise<{ server: TestServer; outbox: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-lifecycle-'));
  dataDirs.push(dataDir);
  const server = await start({
    passwordParams: FAST_PASSWORDS,
    ...options,
    env: { GATEHOUSE_DATA_DIR: dataDir, ...options.env },
  });
  return { server, outbox: join(dataDir, 'outbox') };
}

/** The text of every .eml in the outbox, quoted-printable undone. */
function outboxMessages(outbox: string): string[] {
  let files: string[];
  try {
    files = readdirSync(outbox).filter((file) => file.endsWith('.eml'));
  } catch {
    return [];
  }
  return files.sort().map((file) =>
    readFileSync(join(outbox, file), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
}

/** The newest link to `path` (e.g. /reset-password) mailed to `to`, waiting for the outbox to deliver it. */
async function mailedLink(outbox: string, to: string, path: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s<>"']+${path}#token=[A-Za-z0-9_.~-]+`, 'g');
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mails = outboxMessages(outbox).filter((mail) => mail.includes(to));
        link = mails.flatMap((mail) => mail.match(pattern) ?? []).at(-1);
        return link;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return String(link);
}

/** Nothing sticks out sideways: a phone would scroll the whole page. */
function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function openReader(
  server: TestServer,
  viewport: (typeof VIEWPORTS)[number],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.newContext({
    viewport: viewport.viewport,
    isMobile: viewport.isMobile,
    hasTouch: viewport.isMobile,
  });
  await context.clock.install({ time: server.now() });
  await serveReaderWeb(context, server.origin, { emptyLibrary: true });
  return { context, page: await context.newPage() };
}

describe.each(VIEWPORTS)('the account lifecycle in the reader ($name)', (viewport) => {
  /** The whole page; a modal dialog only in the viewport, where it is (the backdrop covers no more). */
  const shot = async (page: Page, title: string, fullPage = true) => {
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: join(SCREENS, `${viewport.name}-lifecycle-${title}.png`), fullPage });
  };

  it(
    'sign up → verify banner → API key behind the step-up prompt → revoke → change email → delete',
    async () => {
      const { server } = await serverWithOutbox();
      const email = uniqueEmail('lifecycle');
      const { page } = await openReader(server, viewport);
      const syncPageClock = () => page.clock.setSystemTime(server.now());

      // Sign up; the password form says what is wrong before it is submitted.
      await page.goto(`${server.origin}/`);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByLabel('Name (optional)').fill('Ada Lovelace');
      await page.getByLabel('Email').fill(email);
      const password = page.getByLabel('Password', { exact: true });
      await password.fill('short');
      await page.locator('#signup-password-error').waitFor();
      expect(await password.getAttribute('aria-invalid')).toBe('true');
      await shot(page, '01-signup-password-hint');
      await password.fill(GOOD_PASSWORD);
      await expect.poll(() => page.locator('#signup-password-error').count()).toBe(0);
      await page.getByRole('button', { name: 'Create account' }).click();

      // The reader, with the banner: the address is not verified yet.
      const banner = page.getByRole('region', { name: 'Confirm your email address' });
      await banner.waitFor();
      expect(await banner.innerText()).toContain(email);
      await banner.getByRole('button', { name: 'Resend link' }).click();
      await banner.getByText(`Sent. Check ${email}.`).waitFor();
      await shot(page, '02-verify-banner');
      await banner.getByRole('button', { name: 'Dismiss' }).click();
      expect(await banner.count()).toBe(0);

      // The account page: email first, not verified.
      await page.getByRole('button', { name: /account menu/ }).click();
      await page.getByRole('button', { name: 'Account and sessions' }).click();
      await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
      const headings = await page.getByRole('heading', { level: 2 }).allInnerTexts();
      expect(headings).toEqual([
        'Email',
        'Change password',
        'Two-factor authentication',
        'Passkeys',
        'Where you’re signed in',
        'App passwords',
        'API keys',
        'Delete account',
      ]);
      await page.getByText('Not verified').waitFor();
      await page.getByText('You have no API keys.').waitFor();
      await shot(page, '03-account-page');
      expect(await fitsWidth(page)).toBe(true);

      // Eleven minutes on, making a key needs the password again: the prompt asks, a wrong one is said so.
      server.advance(11 * MINUTE);
      await syncPageClock();
      const createForm = page.getByRole('form', { name: 'Create a key' });
      await createForm.getByLabel('Name').fill('Backup script');
      await createForm.getByRole('checkbox', { name: /Write/ }).check();
      expect(await createForm.getByLabel('Expires after').inputValue()).toBe('90');
      await createForm.getByRole('button', { name: 'Create key' }).click();
      const prompt = page.getByRole('dialog', { name: 'Confirm it’s you' });
      await prompt.waitFor();
      await prompt.getByText('You won’t be asked again for 10 minutes.').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-up-password');
      await shot(page, '04-step-up-prompt', false);
      await prompt.getByLabel('Password').fill('not my password');
      await prompt.getByRole('button', { name: 'Confirm' }).click();
      await prompt.getByText('That password is incorrect.').waitFor();
      expect(await prompt.getByLabel('Password').inputValue()).toBe('');
      await shot(page, '05-step-up-wrong-password', false);
      await prompt.getByLabel('Password').fill(GOOD_PASSWORD);
      await prompt.getByRole('button', { name: 'Confirm' }).click();

      // The secret, once: it works, and the list shows the key without it.
      const secretField = page.getByLabel('Secret');
      await secretField.waitFor();
      expect(await prompt.count()).toBe(0);
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^ghk_/);
      expect(await secretField.getAttribute('readonly')).not.toBeNull();
      await page.getByText('Copy it now: it won’t be shown again.').waitFor();
      await secretField.scrollIntoViewIfNeeded();
      await shot(page, '06-api-key-secret');
      expect(await fitsWidth(page)).toBe(true); // the long secret scrolls inside its field
      const native = new NativeClient(server.origin);
      expect((await native.whoami(secret)).status).toBe(200);
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.content()).not.toContain(secret);
      const keys = page.getByRole('list', { name: 'API keys' });
      const row = keys.getByRole('listitem').filter({ hasText: 'Backup script' });
      expect(await row.innerText()).toMatch(/read[\s\S]*write[\s\S]*ghk_[0-9a-f]{8}…[\s\S]*Never used[\s\S]*Expires/);

      // A second key for 30 days; seen a month later (the page's clock), it is marked expired.
      await createForm.getByLabel('Name').fill('Old laptop');
      await createForm.getByLabel('Expires after').selectOption('30');
      await createForm.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.clock.setSystemTime(server.now() + 31 * DAY);
      await page.getByRole('button', { name: 'Back to reader' }).click();
      await page.getByRole('button', { name: /account menu/ }).click();
      await page.getByRole('button', { name: 'Account and sessions' }).click();
      const oldLaptop = keys.getByRole('listitem').filter({ hasText: 'Old laptop' });
      await oldLaptop.getByText('Expired', { exact: true }).first().waitFor();
      expect(await keys.getByRole('listitem').filter({ hasText: 'Backup script' }).innerText()).not.toContain(
        'Expired',
      );
      await keys.scrollIntoViewIfNeeded();
      await shot(page, '07-api-key-list');
      await syncPageClock();

      // Revoke, confirmed in a dialog: the key stops working at once.
      await page.getByRole('button', { name: 'Revoke Backup script' }).click();
      const revokeDialog = page.getByRole('dialog', { name: 'Revoke this API key?' });
      await revokeDialog.waitFor();
      await shot(page, '08-revoke-dialog', false);
      await revokeDialog.getByRole('button', { name: 'Revoke key' }).click();
      await expect.poll(() => keys.getByRole('listitem').filter({ hasText: 'Backup script' }).count()).toBe(0);
      expect((await native.whoami(secret)).status).toBe(401);

      // Change email: a link goes to the new address; the old one stays until it is opened.
      const newEmail = uniqueEmail('moved');
      const emailForm = page.getByRole('form', { name: 'Change email' });
      await emailForm.getByLabel('New email address').fill(newEmail);
      await emailForm.getByRole('button', { name: 'Change email' }).click();
      await emailForm.getByText(`Check ${newEmail} for a confirmation link.`).waitFor();
      await emailForm.scrollIntoViewIfNeeded();
      await shot(page, '09-email-change-sent');

      // Sign out everywhere says what happens to API keys (cancelled here).
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      const everywhere = page.getByRole('dialog', { name: 'Sign out everywhere?' });
      await everywhere.getByRole('checkbox', { name: 'Keep my API keys working' }).waitFor();
      expect(await everywhere.getByRole('checkbox', { name: 'Keep my API keys working' }).isChecked()).toBe(false);
      await shot(page, '10-sign-out-everywhere', false);
      await everywhere.getByRole('button', { name: 'Cancel' }).click();

      // Delete: the email typed out arms the button; afterwards, the signed-out page says so.
      await page.getByRole('button', { name: 'Delete account…' }).click();
      const deleteDialog = page.getByRole('dialog', { name: 'Delete your account?' });
      const deleteButton = deleteDialog.getByRole('button', { name: 'Delete my account' });
      expect(await deleteButton.isDisabled()).toBe(true);
      await deleteDialog.getByLabel(`Type ${email} to confirm`).fill(email);
      expect(await deleteButton.isDisabled()).toBe(false);
      await shot(page, '11-delete-dialog', false);
      await deleteButton.click();
      await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
      await page.getByText('Your account was deleted.').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.getByLabel('Email').inputValue()).toBe('');
      await shot(page, '12-account-deleted');
      expect((await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).status).toBe(401);
    },
    LONG_TEST_MS,
  );

  it(
    'forgot password: the same answer for every address, and the rate limit in words',
    async () => {
      const { server, outbox } = await serverWithOutbox({
        rateLimits: { passwordResetPerEmail: { name: 'password_reset_per_email', limit: 2, windowMs: 60 * MINUTE } },
      });
      const email = uniqueEmail('forgot');
      expect((await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD)).status).toBe(201);
      const { page } = await openReader(server, viewport);
      await page.goto(`${server.origin}/`);
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      const form = page.getByRole('form', { name: 'Reset your password' });
      await form.getByLabel('Email').fill(email);
      await form.getByRole('button', { name: 'Send reset link' }).click();
      await form
        .getByText(`If an account uses ${email}, a link to reset your password is on its way. It works for 30 minutes.`)
        .waitFor();
      await shot(page, '13-forgot-password-sent');
      await mailedLink(outbox, email, '/reset-password');

      // Nobody has this address: word for word the same answer.
      const stranger = uniqueEmail('nobody');
      await form.getByLabel('Email').fill(stranger);
      await form.getByRole('button', { name: 'Send another link' }).click();
      await form.getByText(`If an account uses ${stranger}, a link`).waitFor();

      await form.getByLabel('Email').fill(email);
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/password-reset'));
        await form.getByRole('button', { name: /Send (reset|another) link/ }).click();
        await answered;
      }
      await form
        .getByRole('alert')
        .filter({ hasText: /^Too many attempts\. Try again in/ })
        .waitFor();
      await shot(page, '14-forgot-password-rate-limited');
    },
    LONG_TEST_MS,
  );

  it(
    'a reset link: the token leaves the URL at once, a new password signs in and says what was revoked',
    async () => {
      const { server, outbox } = await serverWithOutbox();
      const email = uniqueEmail('reset');
      const other = new TestBrowser(server.origin, '127.0.0.2');
      expect((await other.signup(email, GOOD_PASSWORD)).status).toBe(201);
      expect((await other.request('POST', '/api/auth/password-reset', { json: { email } })).status).toBe(202);
      const link = await mailedLink(outbox, email, '/reset-password');
      const { page } = await openReader(server, viewport);

      // A dead link first: said plainly, with a way to get a new one.
      await page.goto(`${server.origin}/reset-password#token=not-a-real-token`);
      await page.getByText('This link has expired or was already used. Ask for a new one below.').waitFor();
      expect(page.url()).toBe(`${server.origin}/reset-password`);
      await page.getByRole('form', { name: 'Send a new link' }).waitFor();
      await shot(page, '15-reset-link-expired');

      await page.goto(link); // the same page, so only the fragment changes: the app loads afresh for it
      // No token in history, bookmarks or Referer.
      await expect.poll(() => page.url()).toBe(`${server.origin}/reset-password`);
      const form = page.getByRole('form', { name: 'Choose a new password' });
      await form.getByLabel('New password', { exact: true }).fill('password');
      await form.locator('#reset-new-error').waitFor();
      await shot(page, '16-reset-new-password');
      await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await form.getByLabel('New password, again').fill(NEW_PASSWORD);
      await form.getByRole('button', { name: 'Set new password' }).click();

      await page
        .getByText('Password changed. Every other device has been signed out, and your API keys were revoked.')
        .waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await shot(page, '17-reset-done');
      expect((await other.me()).status).toBe(401);

      // The link is spent: opening it again says so.
      await page.goto(link);
      await page.getByText('This link has expired or was already used.', { exact: false }).waitFor();
    },
    LONG_TEST_MS,
  );

  it(
    'verify-email and confirm-email links: success, a spent link with a new one on offer, an address taken meanwhile',
    async () => {
      const { server, outbox } = await serverWithOutbox();
      const email = uniqueEmail('verify');
      const { context, page } = await openReader(server, viewport);
      await page.goto(`${server.origin}/`);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('region', { name: 'Confirm your email address' }).waitFor();

      // A spent link while signed in: a new one can be sent from the page.
      await page.goto(`${server.origin}/verify-email#token=spent`);
      await page.getByText('This link has expired or was already used.', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Send a new link' }).waitFor();
      await shot(page, '18-verify-link-expired');

      const link = await mailedLink(outbox, email, '/verify-email');
      await page.goto(link);
      await expect.poll(() => page.url()).toBe(`${server.origin}/verify-email`);
      await page.getByText('Your email address is verified', { exact: false }).waitFor();
      await shot(page, '19-verify-done');
      await page.getByRole('button', { name: 'Continue to Gatehouse Reader' }).click();
      await page.getByRole('button', { name: /account menu/ }).waitFor();
      expect(await page.getByRole('region', { name: 'Confirm your email address' }).count()).toBe(0);

      // Email change: the link to the new address; someone else takes the address first.
      const wanted = uniqueEmail('wanted');
      const response = page.waitForResponse((r) => r.url().endsWith('/api/auth/email'));
      await page.evaluate(() => {
        window.history.pushState(null, '', '/account');
        window.dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.getByRole('form', { name: 'Change email' }).getByLabel('New email address').fill(wanted);
      await page.getByRole('button', { name: 'Change email' }).click();
      expect((await response).status()).toBe(202);
      const confirmLink = await mailedLink(outbox, wanted, '/confirm-email');
      expect((await new TestBrowser(server.origin, '127.0.0.3').signup(wanted, GOOD_PASSWORD)).status).toBe(201);
      const taken = await context.newPage();
      await taken.goto(confirmLink);
      await taken.getByText('Another account now uses that address, so your email address was not changed.').waitFor();
      await shot(taken, '20-confirm-email-taken');
      await taken.close();

      // A fresh change to a free address goes through.
      const free = uniqueEmail('free');
      await page.getByRole('form', { name: 'Change email' }).getByLabel('New email address').fill(free);
      await page.getByRole('button', { name: 'Change email' }).click();
      await page.getByText(`Check ${free} for a confirmation link.`).waitFor();
      await page.goto(await mailedLink(outbox, free, '/confirm-email'));
      await page.getByText(`Your email address is now ${free}.`).waitFor();
      await shot(page, '21-confirm-email-done');
    },
    LONG_TEST_MS,
  );
});
