import type { Locator, Page } from 'playwright-core';

/*
 * The reader's web app driven as a person would: by the labels and names on screen. One
 * place knows them, so a renamed button breaks one helper, not every test.
 */

export interface NewAccount {
  name: string;
  email: string;
  password: string;
}

let accountCount = 0;

export function newAccount(who: string): NewAccount {
  accountCount += 1;
  return {
    name: who,
    email: `${who.toLowerCase().replace(/\W+/gu, '-')}-${String(process.pid)}-${String(accountCount)}@reader.test`,
    password: 'correct horse battery staple',
  };
}

/** The signed-out page as it opens: on "Create account" while the install has no account, else on sign-in. */
export async function openSignInPage(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByRole('heading', { name: /^(Welcome back|Create your account)$/u }).waitFor();
}

/** From the signed-out page: the "Create account" form (by its switch, if it opened on sign-in), filled in (not sent). */
export async function fillSignUpForm(page: Page, account: NewAccount): Promise<void> {
  const signUpHeading = page.getByRole('heading', { name: 'Create your account' });
  if (!(await signUpHeading.isVisible())) {
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
  }
  await signUpHeading.waitFor();
  await page.getByLabel('Name (optional)', { exact: true }).fill(account.name);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
}

/** The top bar's account button (sign out sits in the list it opens), named after the user. */
export function accountMenuButton(page: Page, account: NewAccount): Locator {
  return page.getByRole('button', { name: `${account.name}: account menu`, exact: true });
}

/** Sends the filled sign-up form and waits for the reader to open, signed in as `account`. */
export async function submitSignUp(page: Page, account: NewAccount): Promise<void> {
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await accountMenuButton(page, account).waitFor();
}

export async function signUp(page: Page, origin: string, account: NewAccount): Promise<void> {
  await openSignInPage(page, origin);
  await fillSignUpForm(page, account);
  await submitSignUp(page, account);
}

export function subscribeDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Subscribe' });
}

/** The Subscribe button at the top of the feeds pane. */
export async function openSubscribeDialog(page: Page): Promise<Locator> {
  await page.getByRole('navigation', { name: 'Feeds' }).getByRole('button', { name: 'Subscribe', exact: true }).click();
  const dialog = subscribeDialog(page);
  await dialog.waitFor();
  return dialog;
}

/** Subscribe by pasting an address; the app then shows that feed's items. */
export async function subscribeByAddress(page: Page, url: string): Promise<void> {
  const dialog = await openSubscribeDialog(page);
  await dialog.getByLabel('Feed or site address').fill(url);
  await dialog.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

export function itemRows(page: Page): Locator {
  return page.locator('.pane-items .item-row');
}

/** The feeds pane's row for a view or feed, by the name it shows. */
export function navItem(page: Page, label: string): Locator {
  return page.getByRole('navigation', { name: 'Feeds' }).locator('.nav-item', {
    has: page.locator('.nav-label', { hasText: label }),
  });
}

/**
 * Waits until the list has loaded exactly `count` rows: its footer ("4 items · that's
 * everything") is written once the page is in, so a list still showing the previous
 * selection or search doesn't pass for the new one.
 */
export async function waitForRows(page: Page, count: number): Promise<void> {
  const footer = new RegExp(`^${String(count)} items? ·`, 'u');
  await page.locator('.pane-items .list-end-text', { hasText: footer }).waitFor();
  const shown = await itemRows(page).count();
  if (shown !== count) throw new Error(`expected ${String(count)} items in the list, saw ${String(shown)}`);
}

/** Opens a row of the item list and waits for the article pane to show it. */
export async function openItemRow(page: Page, row: Locator): Promise<string> {
  const title = (await row.locator('.item-title').innerText()).trim();
  await row.click();
  await page.locator('#article-title', { hasText: title }).waitFor();
  return title;
}

export function articlePane(page: Page): Locator {
  return page.getByRole('region', { name: 'Article' });
}

/** On a phone, walks back to the feeds pane (article → list → feeds); nothing to do on a desktop. */
export async function backToFeeds(page: Page): Promise<void> {
  const backToList = page.getByRole('button', { name: 'Back to the list' });
  if (await backToList.isVisible()) await backToList.click();
  const backToFeedsButton = page.getByRole('button', { name: 'Back to feeds' });
  if (await backToFeedsButton.isVisible()) await backToFeedsButton.click();
}
