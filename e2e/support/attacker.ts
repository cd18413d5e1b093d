import { randomUUID } from 'node:crypto';
import { expect, type Page, type Response } from '@playwright/test';
import { sites } from './environment.js';

/** Puts an HTML page on the attacker's site and returns its URL. */
export async function attackerPage(html: string): Promise<string> {
  const id = randomUUID();
  const url = `${sites().attacker}/pages/${id}`;
  const response = await fetch(url, { method: 'PUT', body: html });
  if (response.status !== 204) throw new Error(`attacker page upload: ${String(response.status)}`);
  return url;
}

/** An auto-submitting cross-site form, as a malicious page would serve it. */
export function autoSubmitForm(action: string, enctype: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name='${escapeAttribute(name)}' value='${escapeAttribute(value)}'>`)
    .join('');
  return `<!doctype html><form method="POST" action="${action}" enctype="${enctype}">${inputs}</form><script>document.forms[0].submit()</script>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll("'", '&#39;').replaceAll('<', '&lt;');
}

/**
 * Opens an attacker page in the victim's browser and waits for the request it makes to the
 * app. Resolves with the app's response as the browser received it.
 */
export async function visitAndAwaitApp(page: Page, url: string, appUrlPrefix: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().startsWith(appUrlPrefix)),
    page.goto(url),
  ]);
  return response;
}

/**
 * Runs `script` (the body of an async function) in a page of the attacker's site and returns
 * what it returns: for attacks made with fetch() rather than a form.
 */
export async function runOnAttackerSite<T>(page: Page, script: string): Promise<T> {
  const url = await attackerPage(`<!doctype html><title>attacker</title>`);
  await page.goto(url);
  return page.evaluate<T>(script);
}

export interface Loot {
  page: string;
  cookie: string;
  cookieAfter: string;
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  indexedDB: unknown;
  globals: Record<string, string>;
  responses: { method: string; path: string; status: number; body?: string; headers?: [string, string][] }[];
  done: boolean;
}

/** What the XSS payload (fixtures/evil.js) beaconed home for `run`, once it is complete. */
export async function collectedLoot(run: string): Promise<Loot> {
  let loot: Loot | undefined;
  await expect
    .poll(
      async () => {
        const batches = (await (await fetch(`${sites().attacker}/loot/${run}`)).json()) as string[];
        loot = batches.map((batch) => JSON.parse(batch) as Loot).find((candidate) => candidate.done);
        return loot !== undefined;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  if (loot === undefined) throw new Error('no loot');
  return loot;
}

export function newRunId(): string {
  return randomUUID();
}
