import type { BrowserContext, Page } from '@playwright/test';
import type { AppServerInfo } from './app-servers.js';

/** What e2e/fixtures/spa.js exposes; `status: 0` means the browser blocked the call (CORS). */
export interface SpaResult {
  status: number;
  body: unknown;
}

export interface SpaApi {
  signUp(email: string, password: string): Promise<SpaResult>;
  signIn(email: string, password: string): Promise<SpaResult>;
  me(): Promise<SpaResult>;
  refresh(): Promise<SpaResult>;
  logout(): Promise<SpaResult>;
  sessions(): Promise<SpaResult>;
  revoke(id: string): Promise<SpaResult>;
}

type SpaMethod = keyof SpaApi;

/** The memory-token SPA, loaded from `site` (another site than the app) and talking to `server`. */
export async function openSpa(
  context: BrowserContext,
  site: string,
  server: AppServerInfo,
  extraQuery = '',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site}/spa.html?api=${encodeURIComponent(server.origin)}${extraQuery}`);
  await page.waitForFunction(() => 'spa' in window);
  return page;
}

export function spa<M extends SpaMethod>(page: Page, method: M, ...args: Parameters<SpaApi[M]>): Promise<SpaResult> {
  return page.evaluate(
    async ({ method, args }) => {
      const api = (window as unknown as { spa: Record<string, (...values: string[]) => Promise<SpaResult>> }).spa;
      const call = api[method];
      if (call === undefined) throw new Error(`spa.${method} is missing`);
      return call(...args);
    },
    { method, args: args as string[] },
  );
}
