import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test-support/chromium.js';
import { startBrowserReaderServer, type BrowserReaderServer } from './browser-reader-server.js';
import { requireBuiltWebApp } from './built-web-app.js';
import { closeAfterAll } from './close-after-all.js';
import { localeText, type Language, type LocaleText } from './locale-text.js';
import { mailedLink } from './outbox-mail.js';
import { watchPage, type PageWatch } from './page-watch.js';
import { newAccount, signUp } from './reader-ui.js';
import { explainFailure, SCREENS_DIR } from './screens.js';

// Issue 19, the sign-in and account screens in Chinese and English: the language comes from
// the browser (or the choice on the sign-in page), the server's problems are said in it, and
// every screen is photographed in both languages at desktop and phone width, into
// SCREENS_DIR/i18n/<screen>-<language>-<width>.png, for people to look at.

const SHOTS = join(SCREENS_DIR, 'i18n');
const WIDTHS = [1280, 375] as const;
const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];
/** One of the most common passwords: the server refuses it, saying why. */
const COMMON_PASSWORD = 'password';
const GOOD_PASSWORD = 'correct horse battery staple';

let browser: Browser;
let app: BrowserReaderServer;
const started = closeAfterAll();

beforeAll(async () => {
  app = started(await startBrowserReaderServer({ fetchAllowHosts: [] }));
  browser = started(await launchChromium());
  mkdirSync(SHOTS, { recursive: true });
}, 90_000);

function newContext(language: Language, width: number): Promise<BrowserContext> {
  const phone = width < 600;
  return browser.newContext({
    viewport: { width, height: phone ? 812 : 800 },
    isMobile: phone,
    hasTouch: phone,
    // What the browser says it speaks: the app follows it until someone chooses.
    locale: language === 'en' ? 'en-GB' : 'zh-CN',
    timezoneId: language === 'en' ? 'UTC' : 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
}

/**
 * Console errors but the browser's own line for each refused request (a wrong password is a
 * 401 on purpose); a missing translation logs one (i18n/index.ts), and React's warnings do.
 */
function pageErrors(watch: PageWatch): string[] {
  return watch.consoleErrors.filter(
    (error) => !/^Failed to load resource: the server responded with a status of 4\d\d/u.test(error),
  );
}

const htmlLang = (page: Page) => page.evaluate<string>('document.documentElement.lang');
const fitsWidth = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

/** The sign-in or the create-account form, whichever the card opened on first. */
async function openForm(page: Page, t: LocaleText, form: 'signIn' | 'signUp'): Promise<void> {
  const signIn = page.getByRole('heading', { name: t('auth:signIn.title') });
  const signUpHeading = page.getByRole('heading', { name: t('auth:signUp.title') });
  await signIn.or(signUpHeading).first().waitFor();
  const wanted = form === 'signIn' ? signIn : signUpHeading;
  if (await wanted.isVisible()) return;
  const action = form === 'signIn' ? t('auth:switch.signUp.action') : t('auth:switch.signIn.action');
  await page.locator('.auth-switch').getByRole('button', { name: action, exact: true }).click();
  await wanted.waitFor();
}

/** An action may ask for the password again ("Confirm it's you"): answer it if it does. */
async function confirmIfAsked(page: Page, t: LocaleText, shown: Locator): Promise<void> {
  const prompt = page.getByRole('dialog', { name: t('account:stepUp.title') });
  await shown.or(prompt).first().waitFor();
  if (await prompt.isVisible()) {
    await prompt.locator('#step-up-password').fill(GOOD_PASSWORD);
    await prompt.getByRole('button', { name: t('account:stepUp.confirm'), exact: true }).click();
  }
  await shown.waitFor();
}

describe('the sign-in page in Chinese', () => {
  it('follows the browser, says server problems in Chinese, and switches to English when asked', async () => {
    requireBuiltWebApp();
    const zh = localeText('zh-CN');
    const en = localeText('en');
    // Someone to sign in as, made the way an English speaker would.
    const existing = newAccount('Ada Lovelace');
    const english = await newContext('en', 1280);
    try {
      await signUp(await english.newPage(), app.origin, existing);
    } finally {
      await english.close();
    }

    const context = await newContext('zh-CN', 1280);
    try {
      const page = await context.newPage();
      const watch = watchPage(context, page);
      await explainFailure(page, watch, 'i18n-sign-in-zh', async () => {
        await page.goto(`${app.origin}/`);
        await openForm(page, zh, 'signIn');
        expect(await htmlLang(page)).toBe('zh-CN');
        expect(await page.locator('.tagline').innerText()).toBe(zh('auth:tagline'));

        // A server problem as the user sees it: the 401 invalid_credentials, in Chinese.
        await page.locator('#signin-email').fill(existing.email);
        await page.locator('#signin-password').fill('not the password at all');
        await page.getByRole('button', { name: zh('auth:signIn.submit'), exact: true }).click();
        await expect.poll(() => page.getByRole('alert').innerText()).toBe(zh('problems:invalidCredentials'));

        // A validation problem from the server, next to its field: Gatehouse writes English,
        // the page says it in Chinese.
        await openForm(page, zh, 'signUp');
        await page.locator('#signup-email').fill(newAccount('Lin Huiyin').email);
        await page.locator('#signup-password').fill(COMMON_PASSWORD);
        await page.getByRole('button', { name: zh('auth:signUp.submit'), exact: true }).click();
        const fieldSentence = zh('problems:fieldSentence', {
          noun: zh('auth:field.password'),
          fragment: zh('problems:fragment.passwordCommon'),
        });
        await expect.poll(() => page.locator('#signup-password-error').innerText()).toBe(fieldSentence);
        await expect.poll(() => page.getByRole('alert').innerText()).toBe(zh('problems:checkFields'));
        expect(await page.content()).not.toContain('most common passwords');

        // The chooser under the card: English at once, and still after a reload.
        await page.getByLabel(zh('common:language.label')).selectOption('en');
        await page.getByRole('heading', { name: en('auth:signUp.title') }).waitFor();
        expect(await htmlLang(page)).toBe('en');
        await page.reload();
        await openForm(page, en, 'signIn');
        expect(await htmlLang(page)).toBe('en');
        expect(await page.getByLabel(en('common:language.label')).inputValue()).toBe('en');

        expect(pageErrors(watch)).toEqual([]);
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** One language at one width: every sign-in and account screen, photographed and checked. */
async function photographEveryScreen(language: Language, width: number): Promise<void> {
  const t = localeText(language);
  const account = { ...newAccount('Lin Huiyin'), name: language === 'en' ? 'Lin Huiyin' : '林徽因' };
  const context = await newContext(language, width);
  try {
    const page = await context.newPage();
    const watch = watchPage(context, page);
    /** The whole page, one part of it, or (for a dialog over the page) what the screen shows. */
    const shot = async (screen: string, part: Locator | 'page' | 'screen' = 'page') => {
      const path = join(SHOTS, `${screen}-${language}-${String(width)}.png`);
      const options = { path, animations: 'disabled', caret: 'hide' } as const;
      if (part === 'page' || part === 'screen') await page.screenshot({ ...options, fullPage: part === 'page' });
      else await part.screenshot(options);
    };
    await explainFailure(page, watch, `i18n-screens-${language}-${String(width)}`, async () => {
      // Signing up, refused once for a common password.
      await page.goto(`${app.origin}/`);
      await openForm(page, t, 'signUp');
      expect(await htmlLang(page)).toBe(language);
      await shot('sign-up');
      await page.locator('#signup-name').fill(account.name);
      await page.locator('#signup-email').fill(account.email);
      await page.locator('#signup-password').fill(COMMON_PASSWORD);
      await page.getByRole('button', { name: t('auth:signUp.submit'), exact: true }).click();
      await page.getByRole('alert').waitFor();
      await page.locator('#signup-password-error').waitFor();
      await shot('sign-up-error');
      await page.locator('#signup-password').fill(account.password);
      await page.getByRole('button', { name: t('auth:signUp.submit'), exact: true }).click();
      const banner = page.getByRole('region', { name: t('auth:banner.label') });
      await banner.waitFor();
      await shot('verify-banner');

      // The link in the verification mail.
      await page.goto(await mailedLink(app.outboxDir, account.email, /^Verify your email/u, '/verify-email'));
      await page.getByRole('status').filter({ hasText: account.email }).waitFor();
      await shot('verify-email');

      // The account page, every section.
      await page.goto(`${app.origin}/account`);
      await page.getByRole('heading', { name: t('account:title'), level: 1 }).waitFor();
      await page.getByRole('list', { name: t('account:sessions.listLabel') }).waitFor();
      await page.getByText(t('account:apiKeys.empty')).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot('account');

      const passwordSection = page.getByRole('region', { name: t('account:password.title') });
      await page.locator('#password-current').fill('not my password');
      await page.locator('#password-new').fill('another good passphrase');
      await page.locator('#password-confirmation').fill('another good passphrase');
      await passwordSection.getByRole('button', { name: t('account:password.submit'), exact: true }).click();
      await expect
        .poll(() => passwordSection.getByRole('alert').innerText())
        .toBe(t('account:password.currentIncorrect'));
      await shot('account-password-error', passwordSection);

      // Two-factor: the QR code, then the recovery codes.
      const twoFactor = page.getByRole('region', { name: t('account:twoFactor.title') });
      await twoFactor.getByRole('button', { name: t('account:twoFactor.setUp'), exact: true }).click();
      const qr = twoFactor.locator('.qr-code svg');
      await confirmIfAsked(page, t, qr);
      await shot('totp-setup', twoFactor);
      const secret = (await twoFactor.getByTestId('totp-secret').innerText()).replace(/\s/gu, '');
      const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
      await page.locator('#totp-code').fill(totp.generate());
      await twoFactor.getByRole('button', { name: t('account:totp.turnOn'), exact: true }).click();
      const codes = twoFactor.getByTestId('recovery-codes');
      await codes.waitFor();
      const recoveryCode = (await codes.locator('code').first().innerText()).trim();
      await shot('recovery-codes', twoFactor);
      await twoFactor.getByRole('button', { name: t('account:recovery.saved'), exact: true }).click();
      await twoFactor.getByTestId('recovery-codes-remaining').waitFor();
      await shot('two-factor-on', twoFactor);

      // A passkey, made by Chromium's virtual authenticator.
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      const passkeys = page.getByRole('region', { name: t('account:passkeys.title') });
      await page.locator('#passkey-name').fill('MacBook Touch ID');
      await passkeys.getByRole('button', { name: t('account:passkeys.add'), exact: true }).click();
      const passkeyRow = passkeys.getByRole('listitem').filter({ hasText: 'MacBook Touch ID' });
      await confirmIfAsked(page, t, passkeyRow);
      await shot('passkeys', passkeys);
      // Gone again: it would answer the sign-in page's passkey autofill by itself, and sign in.
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });

      // An API key, shown once, then listed.
      const apiKeys = page.getByRole('region', { name: t('account:apiKeys.title') });
      await page.locator('#api-key-name').fill('Backup script');
      await apiKeys.getByRole('button', { name: t('account:apiKeys.createSubmit'), exact: true }).click();
      await confirmIfAsked(page, t, page.locator('#api-key-secret'));
      await shot('api-key-new', apiKeys);
      await apiKeys.getByRole('button', { name: t('account:done'), exact: true }).click();
      await apiKeys.getByRole('listitem').filter({ hasText: 'Backup script' }).waitFor();
      await shot('api-keys', apiKeys);

      // An app password, with the settings for the app.
      const appPasswords = page.getByRole('region', { name: t('account:appPasswords.title') });
      await page.locator('#app-password-name').fill('Phone – Reeder');
      await appPasswords.getByRole('button', { name: t('account:appPasswords.createSubmit'), exact: true }).click();
      await confirmIfAsked(page, t, page.locator('#app-password-value'));
      expect(await fitsWidth(page)).toBe(true);
      await shot('app-password-new', appPasswords);
      await appPasswords.getByRole('button', { name: t('account:done'), exact: true }).click();
      await appPasswords.getByRole('listitem').filter({ hasText: 'Phone – Reeder' }).waitFor();
      await shot('app-passwords', appPasswords);

      const sessions = page.getByRole('region', { name: t('account:sessions.title') });
      await shot('sessions', sessions);
      await shot('account-full');

      // Deleting the account: the confirmation (cancelled).
      await page.getByRole('button', { name: t('account:delete.open'), exact: true }).click();
      const deleting = page.getByRole('dialog', { name: t('account:delete.dialogTitle') });
      await deleting.waitFor();
      await shot('delete-account', 'screen');
      await deleting.getByRole('button', { name: t('account:cancel'), exact: true }).click();
      await deleting.waitFor({ state: 'detached' });

      // The step-up prompt: the password proven at sign-up is made old, as ten minutes would.
      await sql`UPDATE sessions SET reauthenticated_at = 0, factor_verified_at = 0
        WHERE user_id = (SELECT id FROM users WHERE email = ${account.email})`.execute(app.reader.db);
      await sessions.getByRole('button', { name: t('account:everywhere.button'), exact: true }).click();
      const everywhere = page.getByRole('dialog', { name: t('account:everywhere.dialogTitle') });
      await everywhere.waitFor();
      await shot('sign-out-everywhere', 'screen');
      await everywhere.getByRole('button', { name: t('account:everywhere.button'), exact: true }).click();
      const prompt = page.getByRole('dialog', { name: t('account:stepUp.title') });
      await prompt.waitFor();
      await shot('step-up', 'screen');
      await prompt.locator('#step-up-password').fill('not my password');
      await prompt.getByRole('button', { name: t('account:stepUp.confirm'), exact: true }).click();
      await prompt.getByText(t('account:stepUp.wrongPassword')).waitFor();
      await shot('step-up-error', 'screen');
      await prompt.getByRole('button', { name: t('account:cancel'), exact: true }).click();
      await prompt.waitFor({ state: 'detached' });
      await everywhere.getByRole('button', { name: t('account:cancel'), exact: true }).click();
      await everywhere.waitFor({ state: 'detached' });

      // Signing out here, then in again: a wrong password, then the second step.
      const thisDevice = sessions.getByRole('listitem').filter({ hasText: t('account:sessions.thisDevice') });
      // Its name says which device ("Sign out of this device (Chrome on Linux)"): found by place.
      await thisDevice.locator('button.session-action').click();
      await openForm(page, t, 'signIn');
      await page.locator('#signin-email').fill(account.email);
      expect(await fitsWidth(page)).toBe(true);
      await shot('sign-in');
      await page.locator('#signin-password').fill('not my password');
      await page.getByRole('button', { name: t('auth:signIn.submit'), exact: true }).click();
      await expect.poll(() => page.getByRole('alert').innerText()).toBe(t('problems:invalidCredentials'));
      await shot('sign-in-error');
      await page.locator('#signin-password').fill(account.password);
      await page.getByRole('button', { name: t('auth:signIn.submit'), exact: true }).click();
      await page.getByRole('heading', { name: t('auth:secondFactor.title') }).waitFor();
      await shot('second-factor');
      await page.getByRole('button', { name: t('auth:secondFactor.useRecoveryCode'), exact: true }).click();
      await page.locator('#second-factor-recovery').fill(recoveryCode);
      await shot('second-factor-recovery');
      await page.getByRole('button', { name: t('auth:secondFactor.verify'), exact: true }).click();
      // Signed in again, where the sign-out happened: the account page.
      await page.getByRole('heading', { name: t('account:title'), level: 1 }).waitFor();

      expect(pageErrors(watch)).toEqual([]);
    });
  } finally {
    await context.close();
  }

  // Signed out, in a browser of its own: a forgotten password and the pages mail links open.
  const linksContext = await newContext(language, width);
  try {
    const signedOut = await linksContext.newPage();
    const signedOutWatch = watchPage(linksContext, signedOut);
    await explainFailure(signedOut, signedOutWatch, `i18n-links-${language}-${String(width)}`, async () => {
      const linkShot = (screen: string) =>
        signedOut.screenshot({
          path: join(SHOTS, `${screen}-${language}-${String(width)}.png`),
          fullPage: true,
          animations: 'disabled',
          caret: 'hide',
        });
      await signedOut.goto(`${app.origin}/`);
      await openForm(signedOut, t, 'signIn');
      await signedOut.getByRole('button', { name: t('auth:signIn.forgot'), exact: true }).click();
      await signedOut.getByRole('heading', { name: t('auth:forgot.title') }).waitFor();
      await signedOut.locator('#forgot-email').fill(account.email);
      await linkShot('forgot-password');
      await signedOut.getByRole('button', { name: t('auth:forgot.submit'), exact: true }).click();
      await signedOut.getByRole('status').filter({ hasText: account.email }).waitFor();
      await linkShot('forgot-password-sent');

      await signedOut.goto(await mailedLink(app.outboxDir, account.email, /^Reset your password/u, '/reset-password'));
      await signedOut.getByRole('heading', { name: t('auth:reset.title') }).waitFor();
      await signedOut.locator('#reset-new').fill('short');
      await signedOut.locator('#reset-new-error').waitFor();
      await linkShot('reset-password');

      await signedOut.goto(`${app.origin}/reset-password`);
      await signedOut.getByRole('heading', { name: t('auth:reset.titleDead') }).waitFor();
      await linkShot('reset-password-no-link');

      await signedOut.goto(`${app.origin}/confirm-email#token=spent`);
      const expired = t('auth:confirm.expired', { linkExpired: t('problems:linkExpired') });
      await expect.poll(() => signedOut.getByRole('alert').innerText()).toBe(expired);
      await linkShot('confirm-email-expired');

      await signedOut.goto(`${app.origin}/verify-email#token=spent`);
      await signedOut.getByRole('alert').waitFor();
      await linkShot('verify-email-expired');

      expect(await htmlLang(signedOut)).toBe(language);
      expect(pageErrors(signedOutWatch)).toEqual([]);
    });
  } finally {
    await linksContext.close();
  }
}

describe.each(LANGUAGES.flatMap((language) => WIDTHS.map((width) => ({ language, width }))))(
  'every sign-in and account screen in $language at $width px',
  ({ language, width }) => {
    it('is photographed, in that language, with nothing failing in the page', async () => {
      requireBuiltWebApp();
      await photographEveryScreen(language, width);
    }, 240_000);
  },
);
