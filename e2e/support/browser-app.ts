import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { Account } from './accounts.js';
import type { AppServerInfo } from './app-servers.js';

/** The reader's own web app (session and jwt-cookie modes), driven as a person would. */
export async function signInThroughUi(page: Page, server: AppServerInfo, account: Account): Promise<void> {
  await page.goto(`${server.origin}/`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(accountMenu(page)).toBeVisible();
}

/** Sign out lives in the account menu of the top bar. */
export async function signOutThroughUi(page: Page): Promise<void> {
  await accountMenu(page).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
}

/** The top bar's account button, there only while someone is signed in. */
function accountMenu(page: Page) {
  return page.getByRole('button', { name: /: account menu$/ });
}

export interface PageResponse {
  status: number;
  body: unknown;
}

/**
 * A same-origin call from the app's page, as the SDK makes it: cookies ride along, and unsafe
 * methods carry a fresh X-CSRF-Token.
 */
export function appFetch(page: Page, method: string, path: string, json?: unknown): Promise<PageResponse> {
  return page.evaluate(
    async ({ method, path, json }) => {
      const headers: Record<string, string> = {};
      if (!['GET', 'HEAD'].includes(method)) {
        const csrf = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
        headers['X-CSRF-Token'] = csrf.csrfToken;
      }
      if (json !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    { method, path, json },
  );
}

/** Every cookie the browser holds for the app, HttpOnly ones included (the jar, not headers). */
export async function appCookies(context: BrowserContext, server: AppServerInfo) {
  return context.cookies(server.origin);
}

export async function cookieValue(context: BrowserContext, server: AppServerInfo, name: string): Promise<string> {
  const all = await context.cookies([server.origin, `${server.origin}/api/auth/refresh`]);
  const cookie = all.find((candidate) => candidate.name === name);
  if (cookie === undefined) throw new Error(`no ${name} cookie in the browser`);
  return cookie.value;
}
