import { expect, type Page } from '@playwright/test';
import type { Account } from './accounts.js';
import type { AppServerInfo } from './app-servers.js';
import type { PendingSignIn } from './second-factor.js';

/**
 * The reader's own pages for second factors (issue 14), driven as a person would, by the
 * names a screen reader hears. The texts are the reader's (apps/reader/web/src).
 */
export const UI = {
  secondStepHeading: 'Two-step verification',
  codeField: 'Authentication code',
  recoveryCodeField: 'Recovery code',
  verify: 'Verify',
  usePasskey: 'Use a passkey',
  useRecoveryCode: 'Use a recovery code',
  signInWithPasskey: 'Sign in with a passkey',
  wrongCode: 'That code is incorrect.',
} as const;

/** The top bar's account button, there only while someone is signed in. */
export function accountMenu(page: Page) {
  return page.getByRole('button', { name: /: account menu$/ });
}

export function signInButton(page: Page) {
  return page.getByRole('button', { name: 'Sign in', exact: true });
}

/**
 * Email and password on the sign-in card, up to the second step. Returns the pending answer
 * as it crossed the wire (the page keeps its token in memory, where a test cannot look).
 */
export async function passwordToSecondStep(
  page: Page,
  server: AppServerInfo,
  account: Account,
): Promise<PendingSignIn> {
  await page.goto(`${server.origin}/`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url() === `${server.origin}/api/auth/login`),
    signInButton(page).click(),
  ]);
  expect(answer.status()).toBe(200);
  await expect(page.getByRole('heading', { name: UI.secondStepHeading })).toBeVisible();
  return (await answer.json()) as PendingSignIn;
}

/** Types a code from the authenticator app into the second step and submits it. */
export async function answerWithTotp(page: Page, code: string): Promise<void> {
  await page.getByLabel(UI.codeField).fill(code);
  await page.getByRole('button', { name: UI.verify, exact: true }).click();
}

export async function answerWithRecoveryCode(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: UI.useRecoveryCode }).click();
  await page.getByLabel(UI.recoveryCodeField).fill(code);
  await page.getByRole('button', { name: UI.verify, exact: true }).click();
}

/** Signs out from the account menu, back to the sign-in card. */
export async function signOutFromMenu(page: Page): Promise<void> {
  await accountMenu(page).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(signInButton(page)).toBeVisible();
}
