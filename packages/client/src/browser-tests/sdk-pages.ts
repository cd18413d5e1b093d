import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page, Request } from 'playwright-core';
import type { AuthMode } from '../types.js';
import type { SdkTestHandle } from './test-page.js';

/** A page origin on another port of the API's host: cross-origin (CORS, strict Origin) but same-site. */
export const SPA_ORIGIN = 'http://127.0.0.1:47123';

const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SDK test</title></head>
<body><p id="status">loading</p><script type="module" src="test-page.js"></script></body></html>`;

let script: Promise<string> | undefined;

/** The test page and the SDK, bundled once per test file. */
function testPageScript(): Promise<string> {
  script ??= build({
    entryPoints: [fileURLToPath(new URL('./test-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const output = result.outputFiles[0];
    if (output === undefined) throw new Error('esbuild produced no output');
    return output.text;
  });
  return script;
}

/**
 * Serves the test page at `<origin>/sdk-test/` in this context. Playwright answers these
 * requests itself, so the page can sit at the API's own origin (the cookie modes need that)
 * or at SPA_ORIGIN, where nothing listens.
 */
export async function serveTestPage(context: BrowserContext, origin: string): Promise<void> {
  const body = await testPageScript();
  // A page Playwright served has no address space of its own; let it call the loopback API.
  await context.grantPermissions(['local-network-access']);
  await context.route(`${origin}/sdk-test/**`, async (route) => {
    const isScript = route.request().url().split('?')[0]?.endsWith('.js') === true;
    await route.fulfill(
      isScript
        ? { contentType: 'text/javascript', body }
        : { contentType: 'text/html; charset=utf-8', body: PAGE_HTML },
    );
  });
}

export async function openTab(context: BrowserContext, origin: string, api: string, mode: AuthMode): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams({ api: api === origin ? '' : api, mode });
  await page.goto(`${origin}/sdk-test/index.html?${query.toString()}`);
  await waitForStatus(page, 'ready');
  return page;
}

type Handle = SdkTestHandle;

/** Calls the page's sdkTest handle: what the app in that tab would do. */
export function sdk<K extends keyof Handle>(
  page: Page,
  method: K,
  ...args: Parameters<Handle[K]>
): Promise<Awaited<ReturnType<Handle[K]>>> {
  return page.evaluate(
    async ({ method, args }) => {
      const handle = (window as unknown as { sdkTest: Record<string, (...values: unknown[]) => unknown> }).sdkTest;
      const call = handle[method];
      if (call === undefined) throw new Error(`sdkTest.${method} is missing`);
      return (await call(...args)) as never;
    },
    { method, args: args as unknown[] },
  );
}

/** What the page shows the user, e.g. `signed out: other-tab`. */
export function statusOf(page: Page): Promise<string> {
  return page.locator('#status').innerText();
}

export async function waitForStatus(page: Page, expected: string): Promise<void> {
  try {
    await page.waitForFunction((text) => document.getElementById('status')?.textContent === text, expected, {
      timeout: 10_000,
    });
  } catch {
    throw new Error(`the page says "${await statusOf(page)}", expected "${expected}"`);
  }
}

/** Every request to `path` this context makes from now on. */
export function recordRequests(context: BrowserContext, path: string): Request[] {
  const seen: Request[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === path) seen.push(request);
  });
  return seen;
}
