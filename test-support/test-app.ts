import type { Gatehouse } from '@gatehouse/core';
import { currentAuth, mountGatehouse, type GatehouseEnv } from '@gatehouse/hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';

/**
 * Gatehouse mounted as an app would mount it, plus test routes: a state-changing POST that
 * counts its calls (so CSRF tests can assert "the handler never ran"), a signed-in GET, a
 * write that needs the `write` scope, and a slow signed-in GET (for shutdown draining).
 */
export function createTestApp(gatehouse: Gatehouse, countCall: () => void = () => undefined): Hono<GatehouseEnv> {
  const app = new Hono<GatehouseEnv>();
  mountGatehouse(app, { gatehouse, remoteAddress: (c) => getConnInfo(c).remote.address });
  app.get('/api/health', (c) => c.json({ status: 'ok', cachesTrusted: gatehouse.cachesTrusted }));
  app.post('/api/test/protected', (c) => {
    currentAuth(c);
    countCall();
    return c.json({ changed: true });
  });
  app.get('/api/test/whoami', (c) => {
    const auth = currentAuth(c, 'read');
    return c.json({ email: auth.user.email, credential: auth.credential, sessionId: auth.sessionId });
  });
  app.post('/api/test/write', (c) => {
    currentAuth(c, 'write');
    countCall();
    return c.json({ changed: true });
  });
  app.get('/api/test/slow', (c) => {
    currentAuth(c, 'read');
    const ms = Math.min(Number(c.req.query('ms') ?? '500') || 0, 10_000);
    // The headers and a first chunk go out at once, the rest after `ms`: a client holding the
    // headers knows its request is in flight (what a shutdown must let finish).
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"waited":'));
        await new Promise((resolve) => setTimeout(resolve, ms));
        controller.enqueue(encoder.encode(`${String(ms)}}`));
        controller.close();
      },
    });
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
  return app;
}
