import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the web app (vite.config.ts: outDir ../dist/web), as main.ts serves it. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The browser tests test what ships, so they need the build and say so rather than build
 * behind the runner's back. Each test calls this first: a missing build then fails the
 * tests themselves, with the fix in the message (a failing beforeAll would leave them
 * reported as skipped).
 */
export function requireBuiltWebApp(): void {
  if (!existsSync(`${WEB_ROOT}index.html`)) {
    throw new Error(
      `${WEB_ROOT}index.html is missing: build the web app first (npm run build, or npm run build -w apps/reader)`,
    );
  }
}
