import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';

const MAIN = fileURLToPath(new URL('../../../../apps/reader/web/src/main.tsx', import.meta.url));

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gatehouse Reader</title>
    <link rel="stylesheet" href="/__reader-web/main.css" />
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/__reader-web/main.js"></script>
  </body>
</html>`;

let bundle: Promise<{ js: string; css: string }> | undefined;

/** The reader's web app as Vite would build it (React, its CSS), bundled by esbuild at test time. */
function readerWebBundle(): Promise<{ js: string; css: string }> {
  bundle ??= build({
    entryPoints: [MAIN],
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    jsx: 'automatic',
    conditions: ['source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    outdir: 'reader-web',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const text = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
    return { js: text('.js'), css: text('.css') };
  });
  return bundle;
}

/**
 * Serves the reader's web app at `origin` (every page path gets index.html, as the reader's
 * server does) while /api/ goes to the real server. The feeds API is not Gatehouse's: when
 * the server has none, `emptyLibrary` answers it with an empty library.
 */
export async function serveReaderWeb(
  context: BrowserContext,
  origin: string,
  options: { emptyLibrary: boolean },
): Promise<void> {
  const { js, css } = await readerWebBundle();
  await context.grantPermissions(['local-network-access']);
  await context.route(
    (url) => url.origin === origin && !url.pathname.startsWith('/api/'),
    async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/__reader-web/main.js') await route.fulfill({ contentType: 'text/javascript', body: js });
      else if (path === '/__reader-web/main.css') await route.fulfill({ contentType: 'text/css', body: css });
      else await route.fulfill({ contentType: 'text/html; charset=utf-8', body: INDEX_HTML });
    },
  );
  if (!options.emptyLibrary) return;
  const empty: Record<string, unknown> = {
    '/api/folders': { folders: [] },
    '/api/subscriptions': { subscriptions: [] },
    '/api/items': { items: [], nextCursor: null },
    '/api/catalogue': { topics: [] },
  };
  await context.route(
    (url) => url.origin === origin && url.pathname in empty,
    async (route) => {
      await route.fulfill({ json: empty[new URL(route.request().url()).pathname] });
    },
  );
}
